import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { listCertificationsForPerson } from "~/models/certification.server";
import { listSessionsForPerson } from "~/models/training-session.server";
import { certificationStatus, renewalWindowOpens } from "~/domain/program-rules";
import { CertificationStatusTag } from "~/components/status-tag";
import { SessionTable } from "~/components/session-table";
import { formatDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "My trainings" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "MEMBER");
  if (!user.personId) return { linked: false as const, certifications: [], sessions: [] };
  const now = new Date();
  const [certs, sessions] = await Promise.all([listCertificationsForPerson(user.personId), listSessionsForPerson(user.personId)]);
  const certifications = certs.map((c) => ({
    ...c,
    status: certificationStatus(c, c.program, now),
    renewalOpens: renewalWindowOpens(c.expiresOn, c.program),
  }));
  return { linked: true as const, certifications, sessions };
}

export default function MyTrainings() {
  const { linked, certifications, sessions } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>My trainings</h1>
      {!linked ? (
        <p className="notice">Your account is not linked to a person record yet. Ask an administrator to link it using your district ID.</p>
      ) : null}
      <section className="panel" aria-labelledby="certs">
        <h2 id="certs">My certificates</h2>
        {certifications.length === 0 ? (
          <p className="muted">No certificates yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>Certificates you hold or held</caption>
              <thead>
                <tr>
                  <th scope="col">Program</th>
                  <th scope="col">Issued on</th>
                  <th scope="col">Expires on</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {certifications.map((c) => (
                  <tr key={c.id}>
                    <td>{c.program.name}</td>
                    <td>{formatDate(c.issuedOn)}</td>
                    <td>{c.expiresOn ? formatDate(c.expiresOn) : "Never expires"}</td>
                    <td>
                      <CertificationStatusTag status={c.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="sessions">
        <h2 id="sessions">My sessions</h2>
        <SessionTable caption="Sessions you are enrolled in" sessions={sessions} empty="You are not enrolled in any session." />
      </section>
    </>
  );
}
