/**
 * A multipart POST whose file is generated as it is read, so a test can send "50 MB" without holding
 * it and see, through `pulled()`, how much of the body the reader actually took.
 */
const BOUNDARY = "----streamed-upload-boundary";

export function streamedUpload({
  path = "/upload", cookie, intent = "preview", fileBytes, firstLine = "", fill = "a",
}: { path?: string; cookie?: string; intent?: string; fileBytes: number; firstLine?: string; fill?: string }) {
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="intent"\r\n\r\n${intent}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${firstLine}`,
  );
  // 64 KB of the filler text, repeated until the file is as long as asked.
  const chunk = encoder.encode(fill.repeat(Math.ceil((64 * 1024) / fill.length)));
  const tail = encoder.encode(`\r\n--${BOUNDARY}--\r\n`);
  let pulled = 0;
  let sent = 0;
  let stage: "head" | "file" | "tail" | "done" = "head";
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const give = (bytes: Uint8Array) => {
        pulled += bytes.byteLength;
        controller.enqueue(bytes);
      };
      if (stage === "head") {
        give(head);
        stage = "file";
      } else if (stage === "file") {
        const size = Math.min(chunk.byteLength, fileBytes - sent);
        give(chunk.subarray(0, size));
        sent += size;
        if (sent >= fileBytes) stage = "tail";
      } else if (stage === "tail") {
        give(tail);
        stage = "done";
      } else controller.close();
    },
  });
  const request = new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`, ...(cookie ? { Cookie: cookie } : {}) },
    body,
    duplex: "half",
  });
  return { request, pulled: () => pulled };
}
