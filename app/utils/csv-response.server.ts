import type { CsvTable } from "~/domain/reach-csv";
import { toExcelCsv } from "~/utils/csv-write.server";

/** A CSV file to download: Excel-ready text (app/utils/csv-write.server.ts), never kept by a shared cache. */
export function csvAttachment(fileName: string, { header, rows }: CsvTable): Response {
  return new Response(toExcelCsv(header, rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "-")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

/** An export refused: the status and a plain-text message naming each field ("year: School year must …"). */
export function csvRefusal(status: 400 | 403 | 404, errors: Record<string, string>): Response {
  const text = Object.entries(errors).map(([field, message]) => `${field}: ${message}`).join("\n");
  return new Response(`${text}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
}
