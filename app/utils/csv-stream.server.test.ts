import { describe, expect, it } from "vitest";
import { csvStreamAttachment } from "./csv-stream.server";

describe("csvStreamAttachment", () => {
  it("an empty chunk (every row of it hidden) neither ends the file nor stalls it", async () => {
    async function* chunks() {
      yield [];
      yield [["a", "1"]];
      yield [];
      yield [];
      yield [["b", "2"]];
    }
    // Response.text() drops the byte-order mark.
    const res = csvStreamAttachment("x.csv", ["name", "n"], chunks());
    expect(await res.text()).toBe("name,n\r\na,1\r\nb,2\r\n");
  });

  it("only empty chunks: the header alone", async () => {
    async function* chunks() {
      yield [];
    }
    expect(await csvStreamAttachment("x.csv", ["name"], chunks()).text()).toBe("name\r\n");
  });
});
