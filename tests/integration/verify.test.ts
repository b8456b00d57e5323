import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { call, makeRequest, prisma } from "./helpers";
import { isoFromToday, makeCertificate, makePerson, makeProgram, makeSchool } from "./member-fixtures";
import { renderPage } from "./page-render";
import * as verifyRoute from "~/routes/verify.$code";
import * as verifyIndex from "~/routes/verify._index";

const NOT_FOUND = "No certificate matches this code";

function loadCheck(code: string, headers: Record<string, string> = {}, query = "") {
  return call(() => verifyRoute.loader({ request: makeRequest(`/verify/${encodeURIComponent(code)}${query}`, { headers }), params: { code }, context: {} }));
}

function renderCheck(code: string, headers: Record<string, string> = {}, query = "") {
  return renderPage("/verify/:code", verifyRoute, makeRequest(`/verify/${encodeURIComponent(code)}${query}`, { headers }));
}

let person: Awaited<ReturnType<typeof makePerson>>;
let school: Awaited<ReturnType<typeof makeSchool>>;
let program: Awaited<ReturnType<typeof makeProgram>>;
let cert: Awaited<ReturnType<typeof makeCertificate>>;

beforeAll(async () => {
  school = await makeSchool();
  program = await makeProgram("ymhfa", "Renew with the national platform.");
  person = await makePerson({ firstName: "Marisol", lastName: "Quintero-Vale", email: "marisol.private@staff.example.org", schoolId: school.id });
  cert = await makeCertificate({ personId: person.id, programId: program.id, issuedOn: "2025-04-15", expiresOn: "2028-04-15" });
});

describe("the public certificate check", () => {
  it("shows the name as printed, program, dates and status, and nothing else about the person", async () => {
    const res = await loadCheck(cert.verificationCode);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      lang: "en",
      message: null,
      certificate: {
        nameAsPrinted: "Marisol Quintero-Vale",
        programName: program.name,
        issuedOn: { iso: "2025-04-15", text: "April 15, 2025" },
        expiresOn: { iso: "2028-04-15", text: "April 15, 2028" },
        status: "active",
      },
    });
    const sent = JSON.stringify(res.data);
    for (const secret of [person.email ?? "", person.districtId ?? "", school.name, school.code, person.id, cert.id, program.id, "Renew with the national platform"]) {
      expect(secret).not.toBe("");
      expect(sent).not.toContain(secret);
    }
  });

  it("the rendered page shows the same facts and none of the private ones", async () => {
    const page = await renderCheck(cert.verificationCode);
    expect(page.status).toBe(200);
    expect(page.html).toContain("<h1>Certificate check</h1>");
    expect(page.html).toContain("Marisol Quintero-Vale");
    expect(page.html).toContain(program.name);
    expect(page.html).toContain("April 15, 2025");
    expect(page.html).toContain("April 15, 2028");
    expect(page.html).toContain(">Active<");
    for (const secret of [person.email ?? "", person.districtId ?? "", school.name, school.code, person.id]) expect(page.html).not.toContain(secret);
    // English content; only the link to the Spanish page is marked Spanish.
    expect(page.html).toContain('<div class="narrow"><p class="actions"><a href="?lang=es" lang="es"');
  });

  it.each([
    ["renewal window open", isoFromToday(-1000), isoFromToday(30), null, "renewal-due", "Active (renewal due)"],
    ["expired", "2020-01-10", "2023-01-10", null, "expired", "Expired"],
    ["renewed", "2022-01-10", isoFromToday(20), "renewed", "renewed", "Renewed (superseded by a newer certificate)"],
  ])("status: %s", async (_label, issuedOn, expiresOn, renewed, status, text) => {
    const p = await makePerson();
    const c = await makeCertificate({ personId: p.id, programId: program.id, issuedOn, expiresOn });
    if (renewed) {
      const newer = await makeCertificate({ personId: p.id, programId: program.id, issuedOn: isoFromToday(-5), expiresOn: isoFromToday(1090) });
      await prisma.certification.update({ where: { id: c.id }, data: { renewedById: newer.id } });
    }
    const res = await loadCheck(c.verificationCode);
    expect(res.data).toMatchObject({ certificate: { status } });
    expect((await renderCheck(c.verificationCode)).html).toContain(text);
  });

  it("a never-expiring certificate says so", async () => {
    const qpr = await makeProgram("qpr");
    const c = await makeCertificate({ personId: person.id, programId: qpr.id, issuedOn: "2024-09-01", expiresOn: null });
    const res = await loadCheck(c.verificationCode);
    expect(res.data).toMatchObject({ certificate: { expiresOn: null, status: "active" } });
    expect((await renderCheck(c.verificationCode)).html).toContain("Does not expire");
  });

  it("a wrong code and malformed codes all get the same 404 and message", async () => {
    const wrong = randomBytes(16).toString("base64url");
    // Same length and alphabet as the real code, one character changed: still no hint that it is close.
    const near = `${cert.verificationCode.slice(0, 21)}${cert.verificationCode.endsWith("A") ? "B" : "A"}`;
    const malformed = ["abc", cert.verificationCode.slice(0, 21), `${cert.verificationCode}x`, "' OR 1=1 --", "../../etc/passwd", ""];
    for (const code of [wrong, near, ...malformed]) {
      const res = await loadCheck(code);
      expect(res.status, code).toBe(404);
      expect(res.data, code).toEqual({ lang: "en", certificate: null, message: NOT_FOUND });
      const page = await renderCheck(code || "x");
      expect(page.status).toBe(404);
      expect(page.html).toContain(NOT_FOUND);
    }
  });

  it("checks the format before looking up: a stored code of the wrong shape is never found", async () => {
    // Older or hand-made codes that are not 22 base64url characters cannot be reached at all.
    const p = await makePerson();
    const odd = await prisma.certification.create({
      data: { personId: p.id, programId: program.id, issuedOn: new Date("2025-01-01T00:00:00Z"), verificationCode: `legacy-${p.id}` },
    });
    expect(await loadCheck(odd.verificationCode)).toMatchObject({ status: 404, data: { message: NOT_FOUND } });
  });

  it("speaks Spanish with ?lang=es, and by default when the browser prefers it", async () => {
    const byParam = await loadCheck(cert.verificationCode, {}, "?lang=es");
    expect(byParam.data).toMatchObject({ lang: "es", certificate: { issuedOn: { text: "15 de abril de 2025" }, expiresOn: { text: "15 de abril de 2028" } } });
    const page = await renderCheck(cert.verificationCode, { "Accept-Language": "es-MX,es;q=0.9,en;q=0.5" });
    expect(page.html).toContain('<div class="narrow" lang="es">');
    expect(page.html).toContain("Verificación de certificado");
    expect(page.html).toContain("Fecha de emisión");
    expect(page.html).toContain("Vigente");
    expect(page.html).toContain('<a href="?lang=en" lang="en"');
    const missing = await loadCheck("nope", {}, "?lang=es");
    expect(missing).toMatchObject({ status: 404, data: { message: "Ningún certificado coincide con este código" } });
    const english = await loadCheck(cert.verificationCode, { "Accept-Language": "es-MX" }, "?lang=en");
    expect(english.data).toMatchObject({ lang: "en" });
  });

  it("is not indexed: X-Robots-Tag on found and not-found answers, robots meta, no referrer", async () => {
    for (const code of [cert.verificationCode, "nope"]) {
      const res = await loadCheck(code);
      expect(res.headers.get("X-Robots-Tag")).toMatch(/noindex/);
      const page = await renderCheck(code);
      expect(page.headers.get("X-Robots-Tag")).toMatch(/noindex/);
    }
    const headers = new Headers(verifyRoute.headers({ loaderHeaders: new Headers(), parentHeaders: new Headers(), actionHeaders: new Headers(), errorHeaders: undefined }));
    expect(headers.get("X-Robots-Tag")).toMatch(/noindex/);
    expect(headers.get("Referrer-Policy")).toBe("no-referrer");
    const meta = verifyRoute.meta({ data: undefined, params: {}, location: { pathname: "/verify/x", search: "", hash: "", state: null, key: "" }, matches: [], error: undefined });
    expect(meta).toContainEqual({ name: "robots", content: "noindex, nofollow" });
  });
});

describe("the code form (/verify)", () => {
  it("sends ?code= to /verify/<code>, trimmed, keeping the language", async () => {
    const res = await call(() => verifyIndex.loader({ request: makeRequest(`/verify?code=${encodeURIComponent(`  ${cert.verificationCode} `)}`), params: {}, context: {} }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/verify/${cert.verificationCode}`);
    const es = await call(() => verifyIndex.loader({ request: makeRequest(`/verify?lang=es&code=${cert.verificationCode}`), params: {}, context: {} }));
    expect(es.headers.get("Location")).toBe(`/verify/${cert.verificationCode}?lang=es`);
  });

  it("accepts a pasted check address", async () => {
    const pasted = `https://training.example.org/verify/${cert.verificationCode}`;
    const res = await call(() => verifyIndex.loader({ request: makeRequest(`/verify?code=${encodeURIComponent(pasted)}`), params: {}, context: {} }));
    expect(res.headers.get("Location")).toBe(`/verify/${cert.verificationCode}`);
  });

  it("an empty code is a 400 with a message; the form has a label", async () => {
    const res = await call(() => verifyIndex.loader({ request: makeRequest("/verify?code=%20%20"), params: {}, context: {} }));
    expect(res).toMatchObject({ status: 400, data: { error: "Enter the code printed on the certificate." } });
    const page = await renderPage("/verify", verifyIndex, makeRequest("/verify"));
    expect(page.status).toBe(200);
    expect(page.html).toContain('<label for="verify-code">Certificate code</label>');
    expect(page.html).toContain('method="get" action="/verify"');
    expect(page.headers.get("X-Robots-Tag")).toMatch(/noindex/);
  });
});
