import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/session.server";
import { listDirectoryImports } from "~/models/directory-import.server";
import { DIRECTORY_FORMAT_LABELS } from "~/domain/directory/plan";
import { formatSchoolYear } from "~/domain/school-year";
import { Pager } from "~/components/admin-pager";
import { ImportStatusTag } from "~/components/directory-import";
import { AppErrorBoundary } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Directory imports · Administration" }];

const QuerySchema = z.object({
  page: z.coerce.number({ invalid_type_error: "page must be a whole number from 1" }).int("page must be a whole number from 1").min(1, "page must be a whole number from 1").max(100_000, "page is past the last page").default(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  const query = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw data({ message: query.error.issues[0]?.message ?? "Bad query string" }, { status: 400 });
  return listDirectoryImports(query.data.page);
}

const when = (d: Date | string) => new Date(d).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default function DirectoryImportsPage() {
  const { imports, page, pageCount, total } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Directory imports</h1>
      <p>
        Who works and studies at which school, each school year, comes from the district’s own systems: a OneRoster export
        (from the student-information or HR system, Clever, ClassLink or School Data Sync), or a plain staff or student CSV.
        Reach counts people by these memberships.
      </p>
      <p><Link className="button" to="/admin/directory/import">Import people files</Link> <Link to="/people/duplicates">Review likely duplicates</Link></p>
      {total === 0 ? (
        <p className="notice">No directory import yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>Every import, newest first ({total.toLocaleString("en-US")})</caption>
            <thead>
              <tr>
                <th scope="col">Uploaded</th><th scope="col">By</th><th scope="col">Files</th><th scope="col">School year</th>
                <th scope="col">Status</th><th scope="col">People new / updated / to review / ignored</th><th scope="col">Memberships added / ended</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr key={i.id}>
                  <td><Link to={`/admin/directory/${i.id}`}>{when(i.createdAt)}</Link></td>
                  <td>{i.createdBy}</td>
                  <td>{DIRECTORY_FORMAT_LABELS[i.format] ?? i.format}: {i.fileNames}</td>
                  <td>{formatSchoolYear(i.schoolYear)}</td>
                  <td><ImportStatusTag status={i.status} /></td>
                  <td>{[i.counts.NEW, i.counts.UPDATED, i.counts.REVIEW, i.counts.IGNORED].map((n) => n.toLocaleString("en-US")).join(" / ")}</td>
                  <td>{i.counts.membershipsAdded.toLocaleString("en-US")} / {i.counts.membershipsEnded.toLocaleString("en-US")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageCount={pageCount} params={{}} label="Pages of imports" />
    </>
  );
}

export function ErrorBoundary() {
  return <AppErrorBoundary />;
}
