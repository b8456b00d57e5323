import { expect } from "vitest";
import { z } from "zod";
import { call, makeRequest, signIn } from "./helpers";

/** What a loader or action takes, for tests that call many of them alike. */
export type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, never> }) => Promise<unknown>;
export type Endpoint = { name: string; path: string; params?: Record<string, string>; fn: RouteFn; method: "GET" | "POST"; form?: Record<string, string> };

export const NON_ADMIN_ROLES = ["PROGRAM_LEAD", "TRAINER", "COORDINATOR", "MEMBER"] as const;

export function run(endpoint: Endpoint, cookie?: string) {
  const request = makeRequest(endpoint.path, { method: endpoint.method, cookie, form: endpoint.method === "POST" ? (endpoint.form ?? {}) : undefined });
  return call(() => endpoint.fn({ request, params: endpoint.params ?? {}, context: {} }));
}

/** Every endpoint refuses each non-admin role with 403 and sends a signed-out visitor to /login. */
export async function expectAdminOnly(endpoints: Endpoint[]) {
  for (const role of NON_ADMIN_ROLES) {
    const { cookie } = await signIn(role);
    for (const endpoint of endpoints) {
      const res = await run(endpoint, cookie);
      expect(res.status, `${role} ${endpoint.method} ${endpoint.name}`).toBe(403);
    }
  }
  for (const endpoint of endpoints) {
    const res = await run(endpoint);
    expect(res.status, `signed out ${endpoint.method} ${endpoint.name}`).toBe(302);
    expect(res.headers.get("Location"), endpoint.name).toMatch(/^\/login\?redirectTo=/);
  }
}

/** A multipart import form, as the browser posts it: a file, pasted text, or both. */
export function importForm({ file, fileName = "import.csv", csvText, intent = "preview" }: { file?: string | Uint8Array<ArrayBuffer>; fileName?: string; csvText?: string; intent?: string }) {
  const form = new FormData();
  form.append("intent", intent);
  form.append("file", file === undefined ? new File([], "") : new File([file], fileName, { type: "text/csv" }));
  form.append("csvText", csvText ?? "");
  return form;
}

const FieldErrorsResult = z.object({ errors: z.record(z.string()) });
export function errorsOf(data: unknown): Record<string, string> {
  return FieldErrorsResult.parse(data).errors;
}

export const FormProblemResult = z.object({ stage: z.literal("form"), errors: z.record(z.string()) });

export function previewResult<Row extends z.ZodTypeAny>(row: Row) {
  return z.object({
    stage: z.literal("preview"),
    csvText: z.string(),
    fileName: z.string().nullable(),
    errors: z.record(z.string()),
    preview: z.object({ rows: z.array(row), counts: z.record(z.number()) }),
  });
}

export const DoneResult = z.object({ stage: z.literal("done"), counts: z.record(z.number()) });

/** The audit details of an event, parsed from its JSON text. */
export function detailsOf(event: { details: string }): Record<string, unknown> {
  return z.record(z.unknown()).parse(JSON.parse(event.details));
}
