import { describe, expect, it } from "vitest";
import { readUploadForm } from "./upload.server";
import { streamedUpload } from "../../tests/integration/streamed-upload";

const BOUNDARY = "----upload-test-boundary";
const encoder = new TextEncoder();

describe("readUploadForm", () => {
  it("stops reading at the per-file cap and names the problem, instead of buffering the whole upload", async () => {
    const cap = 1024 * 1024;
    const upload = streamedUpload({ fileBytes: 50 * 1024 * 1024 });
    expect(await readUploadForm(upload.request, { maxFileBytes: cap })).toEqual({
      ok: false,
      error: "The file is larger than 1 MB. Split it into smaller files.",
    });
    // request.formData() reads all 50 MB before anything can look at the file.
    expect(upload.pulled()).toBeLessThan(cap + 256 * 1024);
  });

  it("uses the CSV size limit (5 MB) by default", async () => {
    const upload = streamedUpload({ fileBytes: 6 * 1024 * 1024 });
    expect(await readUploadForm(upload.request)).toEqual({ ok: false, error: expect.stringContaining("larger than 5 MB") });
  });

  it("returns the fields and the file when the file is within the cap", async () => {
    const upload = streamedUpload({ fileBytes: 3000 });
    const result = await readUploadForm(upload.request, { maxFileBytes: 4000 });
    if (!result.ok) throw new Error(result.error);
    expect(result.formData.get("intent")).toBe("preview");
    const file = result.formData.get("file");
    expect(file instanceof File ? [file.name, file.size] : file).toEqual(["big.csv", 3000]);
  });

  it("treats a file input left empty as no file, as the browser's form data does", async () => {
    const form = new FormData();
    form.append("file", new File([], ""));
    form.append("csvText", "code,name");
    const result = await readUploadForm(new Request("http://localhost/x", { method: "POST", body: form }));
    if (!result.ok) throw new Error(result.error);
    expect(result.formData.get("file")).toBeNull();
    expect(result.formData.get("csvText")).toBe("code,name");
  });

  it("refuses more than one file and a body that is not multipart as sent", async () => {
    const form = new FormData();
    form.append("file", new File(["a"], "a.csv"));
    form.append("file", new File(["b"], "b.csv"));
    expect(await readUploadForm(new Request("http://localhost/x", { method: "POST", body: form }))).toEqual({ ok: false, error: "Choose one file at a time." });
    const broken = new Request("http://localhost/x", {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nno closing boundary`,
    });
    expect(await readUploadForm(broken)).toEqual({ ok: false, error: expect.stringContaining("could not be read") });
  });

  it("lets an error that is not about the file (the server's body limit) through to the server", async () => {
    const limitHit = new Error("over the server's limit");
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\naaaa`));
        controller.error(limitHit);
      },
    });
    const request = new Request("http://localhost/x", {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
      body,
      duplex: "half",
    });
    await expect(readUploadForm(request)).rejects.toBe(limitHit);
  });
});
