import { stringify } from "csv-stringify/sync";
import { csvSafeCell, UTF8_BOM } from "~/utils/csv-write.server";

/**
 * A CSV file to download, written a chunk of rows at a time as `chunks` yields them: a large export
 * (every certificate of a program in a period) never holds the whole file, nor every row, in memory.
 * Same text as csvAttachment (BOM, CRLF, formula guard), never kept by a shared cache.
 */
export function csvStreamAttachment(fileName: string, header: string[], chunks: AsyncIterable<string[][]>): Response {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(UTF8_BOM + stringify([header], { record_delimiter: "windows" })));
        return;
      }
      try {
        // A pull that enqueues nothing is not called again: skip empty chunks (every row hidden) until one has rows.
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            return;
          }
          if (next.value.length > 0) {
            controller.enqueue(encoder.encode(stringify(next.value.map((row) => row.map(csvSafeCell)), { record_delimiter: "windows" })));
            return;
          }
        }
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "-")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
