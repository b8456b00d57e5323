import {
  FormDataParseError,
  MaxFileSizeExceededError,
  MaxFilesExceededError,
  MultipartParseError,
  parseFormData,
} from "@mjackson/form-data-parser";
import { MAX_CSV_BYTES } from "~/utils/csv.server";

export type UploadForm = { ok: true; formData: FormData } | { ok: false; error: string };

const MB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * The fields of an upload form (multipart/form-data), read as the body streams in and never past
 * `maxFileBytes` for any one file or field: a larger file stops the reading and comes back as a message
 * for the file field. (The whole body is also capped by the server, MAX_UPLOAD_BYTES, with a 413.)
 * Call it after the route's guard: nothing is read for a visitor who may not upload.
 */
export async function readUploadForm(request: Request, options: { maxFileBytes?: number } = {}): Promise<UploadForm> {
  const maxFileBytes = options.maxFileBytes ?? MAX_CSV_BYTES;
  try {
    // The import forms have one file input; more files than that are not ours.
    const formData = await parseFormData(request, { maxFileSize: maxFileBytes, maxFiles: 1 }, (file) =>
      // A file input left empty posts a nameless, empty part, which the parser names "file-upload":
      // dropped, as if no file had been chosen (request.formData() gave it an empty name).
      file.size === 0 && file.name === "file-upload" ? null : file,
    );
    return { ok: true, formData };
  } catch (error) {
    if (error instanceof MaxFileSizeExceededError) {
      return { ok: false, error: `The file is larger than ${MB(maxFileBytes)}. Split it into smaller files.` };
    }
    if (error instanceof MaxFilesExceededError) return { ok: false, error: "Choose one file at a time." };
    if (error instanceof MultipartParseError || error instanceof FormDataParseError) {
      return { ok: false, error: "The upload could not be read. Choose the file again and send it." };
    }
    // Anything else (the server's own body limit, a client gone away) is not a problem with the file.
    throw error;
  }
}
