import { expect } from "vitest";
import { z } from "zod";
import { call, makeRequest, signIn } from "./helpers";

/** A loader or action as the tests call it. */
export type RouteFn = (args: { request: Request; params: Record<string, string>; context: Record<string, never> }) => Promise<unknown>;

export type Endpoint = {
  name: string;
  path: string;
  fn: RouteFn;
  params?: Record<string, string>;
  method?: "GET" | "POST";
  form?: Record<string, string | string[]>;
};

export const NON_ADMIN_ROLES = ["PROGRAM_LEAD", "TRAINER", "COORDINATOR", "MEMBER"] as const;

/** Calls a loader (GET) or action (POST) with the cookie, returning status, data and headers. */
export function hit(endpoint: Endpoint, cookie?: string) {
  const method = endpoint.method ?? "GET";
  const request = makeRequest(endpoint.path, { method, cookie, form: method === "POST" ? (endpoint.form ?? {}) : undefined });
  return call(() => endpoint.fn({ request, params: endpoint.params ?? {}, context: {} }));
}

/** Each non-admin role gets 403 from every endpoint; a signed-out visitor is sent to sign in. */
export async function expectAdminOnly(endpoints: Endpoint[]) {
  for (const role of NON_ADMIN_ROLES) {
    const { cookie } = await signIn(role);
    for (const endpoint of endpoints) {
      const res = await hit(endpoint, cookie);
      expect(res.status, `${role} ${endpoint.method ?? "GET"} ${endpoint.name}`).toBe(403);
    }
  }
  for (const endpoint of endpoints) {
    const res = await hit(endpoint);
    expect(res.status, `signed out ${endpoint.method ?? "GET"} ${endpoint.name}`).toBe(302);
    expect(res.headers.get("Location"), endpoint.name).toMatch(/^\/login\?redirectTo=/);
  }
}

const FormResult = z.object({ errors: z.record(z.string()), values: z.record(z.string()).optional() });

/** The field errors of a refused form post. */
export function errorsOf(data: unknown): Record<string, string> {
  return FormResult.parse(data).errors;
}

/** What a refused form post sends back to show in the fields. */
export function valuesOf(data: unknown): Record<string, string> {
  return FormResult.parse(data).values ?? {};
}

/** The audit details of an event, parsed from its JSON text. */
export function auditDetails(details: string): Record<string, unknown> {
  return z.record(z.unknown()).parse(JSON.parse(details));
}
