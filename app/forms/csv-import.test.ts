import { describe, expect, it } from "vitest";
import { MAX_CSV_BYTES } from "~/domain/csv-rows";
import { CsvImportSchema } from "./csv-import";

const file = (bytes: number) => new File([new Uint8Array(bytes).fill(0x61)], "schools.csv", { type: "text/csv" });

describe("the CSV import form", () => {
  it("accepts a file at the size limit", () => {
    expect(CsvImportSchema.safeParse({ file: file(MAX_CSV_BYTES) }).success).toBe(true);
  });

  it("refuses a larger file beside its field, before it is uploaded", () => {
    const result = CsvImportSchema.safeParse({ file: file(MAX_CSV_BYTES + 1) });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ["file"], message: "The file is larger than 5 MB. Split it into smaller files." }),
    ]);
  });

  it("asks for a file or text when neither is given", () => {
    expect(CsvImportSchema.safeParse({ csvText: "  " }).error?.issues[0]?.message).toBe("Choose a CSV file or paste the CSV text");
  });
});
