import { Link } from "@remix-run/react";
import { formatDateTime } from "~/utils/format";
import { useTimeZone } from "~/utils/use-time-zone";

type SessionRow = {
  id: string;
  title: string | null;
  program: { code: string; name: string };
  school: { name: string } | null;
  siteName: string | null;
  format: string;
  days: Array<{ startsAt: Date | string }>;
  _count: { enrollments: number };
  capacity: number | null;
};

export function SessionTable({ caption, sessions, empty, linked = false }: { caption: string; sessions: SessionRow[]; empty: string; linked?: boolean }) {
  const timeZone = useTimeZone();
  if (sessions.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Program</th>
            <th scope="col">Session</th>
            <th scope="col">Where</th>
            <th scope="col">First day</th>
            <th scope="col" className="num">Days</th>
            <th scope="col" className="num">Enrolled</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td>{s.program.name}</td>
              <td>{linked ? <Link to={`/sessions/${s.id}`}>{s.title ?? `${s.program.code} session`}</Link> : (s.title ?? `${s.program.code} session`)}</td>
              <td>{s.school?.name ?? s.siteName ?? (s.format === "VIRTUAL" ? "Virtual" : "—")}</td>
              <td>{s.days[0] ? formatDateTime(s.days[0].startsAt, timeZone) : "—"}</td>
              <td className="num">{s.days.length}</td>
              <td className="num">
                {s._count.enrollments}
                {s.capacity ? ` / ${s.capacity}` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
