import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { DuplicateQueueSchema } from "~/forms/person";
import { fieldErrorsOf } from "~/utils/forms";
import { duplicateQueue } from "~/models/duplicates.server";
import { DUPLICATE_REASON_WORDS } from "~/domain/duplicates";
import { formatSchoolYear } from "~/domain/school-year";
import { FormErrorSummary } from "~/components/form";
import { Pager } from "~/components/admin-pager";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Likely duplicates · People" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const url = new URL(request.url);
  const parsed = DuplicateQueueSchema.safeParse({ show: url.searchParams.get("show") ?? undefined, page: url.searchParams.get("page") ?? undefined });
  if (!parsed.success) return data({ ok: false as const, errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  const queue = await duplicateQueue(parsed.data.show, parsed.data.page);
  return { ok: true as const, errors: {}, show: parsed.data.show, ...queue };
}

const KIND_WORDS = { STAFF: "Staff", STUDENT: "Student", COMMUNITY: "Community partner" } as const;

type Card = { id: string; firstName: string; lastName: string; districtId: string | null; email: string | null; kind: keyof typeof KIND_WORDS; createdAt: string | Date; _count: { enrollments: number; certifications: number } };

function PersonCell({ p }: { p: Card }) {
  return (
    <>
      <Link to={`/people/${p.id}`}>{p.lastName}, {p.firstName}</Link>
      <br />
      <span className="muted">
        {KIND_WORDS[p.kind]} · ID {p.districtId ?? "none"} · {p.email ?? "no email"} · {p._count.enrollments} sessions, {p._count.certifications} certificates · since {formatDate(p.createdAt)}
      </span>
    </>
  );
}

export default function Duplicates() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <p><Link to="/people">← People</Link></p>
      <h1>Likely duplicates</h1>
      <p className="muted">
        Records that may be one human: the same name and email, or the same name with district IDs one typo apart; and rows of
        directory imports held for a decision. Compare each pair and merge, or say they are different people: nothing is merged
        without you, and a merge keeps both records and can be undone.
      </p>
      <FormErrorSummary errors={d.errors} />
      {d.ok ? (
        <>
          <nav aria-label="Duplicate lists" className="actions">
            <Link to="?show=people" aria-current={d.show === "people" ? "page" : undefined}>
              Pairs of records ({d.counts.pairs.toLocaleString("en-US")})
            </Link>
            <Link to="?show=imports" aria-current={d.show === "imports" ? "page" : undefined}>
              Import rows to review ({d.counts.heldRows.toLocaleString("en-US")})
            </Link>
          </nav>
          {d.show === "people" ? (
            <section aria-labelledby="pairs">
              <h2 id="pairs">
                {d.counts.pairs === 1 ? "1 pair" : `${d.counts.pairs.toLocaleString("en-US")} pairs`}: {d.counts.sameEmail.toLocaleString("en-US")} with the same name and
                email, {d.counts.idTypo.toLocaleString("en-US")} with district IDs one typo apart
              </h2>
              {d.pairs.length === 0 ? (
                <p>No likely duplicates.</p>
              ) : (
                <div className="table-wrap">
                  <table>
                    <caption>Pairs of records, by name{d.pageCount > 1 ? `: page ${d.page} of ${d.pageCount}` : ""}</caption>
                    <thead>
                      <tr><th scope="col">Record A</th><th scope="col">Record B</th><th scope="col">Why</th><th scope="col">Decide</th></tr>
                    </thead>
                    <tbody>
                      {d.pairs.map((p) => (
                        <tr key={`${p.a.id}-${p.b.id}`}>
                          <td><PersonCell p={p.a} /></td>
                          <td><PersonCell p={p.b} /></td>
                          <td>{p.reasons.map((r) => DUPLICATE_REASON_WORDS[r]).join("; ")}</td>
                          <td>
                            <Link to={`/people/duplicates/compare?a=${encodeURIComponent(p.a.id)}&b=${encodeURIComponent(p.b.id)}`} aria-label={`Compare ${p.a.firstName} ${p.a.lastName} with ${p.b.firstName} ${p.b.lastName}`}>
                              Compare
                            </Link>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          ) : (
            <section aria-labelledby="rows">
              <h2 id="rows">{d.counts.heldRows === 1 ? "1 import row" : `${d.counts.heldRows.toLocaleString("en-US")} import rows`} held for review</h2>
              {d.rows.length === 0 ? (
                <p>No import rows wait for a decision.</p>
              ) : (
                <div className="table-wrap">
                  <table>
                    <caption>Rows of committed directory imports held for a decision{d.pageCount > 1 ? `: page ${d.page} of ${d.pageCount}` : ""}</caption>
                    <thead>
                      <tr><th scope="col">The file's row</th><th scope="col">The record it may be</th><th scope="col">Why held</th><th scope="col">Decide</th></tr>
                    </thead>
                    <tbody>
                      {d.rows.map((r) => (
                        <tr key={r.id}>
                          <td>
                            {r.lastName}, {r.firstName}
                            <br />
                            <span className="muted">ID {r.districtId ?? "none"} · {r.email ?? "no email"} · {r.file} line {r.line}, {formatSchoolYear(r.import.schoolYear)}</span>
                          </td>
                          <td>{r.person ? <PersonCell p={r.person} /> : <span className="muted">No record</span>}</td>
                          <td>{r.reason ?? ""}</td>
                          <td>
                            <Link to={`/people/duplicates/compare?row=${encodeURIComponent(r.id)}`} aria-label={`Compare the file's ${r.firstName} ${r.lastName} (line ${r.line}) with the record`}>
                              Compare
                            </Link>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          )}
          <Pager page={d.page} pageCount={d.pageCount} params={{ show: d.show }} label="Duplicate pages" />
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary />;
}
