/** The reach tables: areas (district, regions) and schools, shared by the dashboard and region page. */
import { Link } from "@remix-run/react";
import type { AreaReachRow, SchoolReachRow } from "~/models/reach.server";
import { SortHeader } from "~/components/reach";
import { formatCount, formatPercent } from "~/utils/format";

export type Show = { staff: boolean; students: boolean; community: boolean };

export function AreaTable({ caption, rows, show, linkRegions, query = "" }: { caption: string; rows: AreaReachRow[]; show: Show; linkRegions: boolean; query?: string }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Area</th>
            <th scope="col" className="num">Schools</th>
            {show.staff ? (
              <>
                <th scope="col" className="num">Staff headcount</th>
                <th scope="col" className="num">Staff current (at schools)</th>
                <th scope="col" className="num">Staff reach</th>
                <th scope="col" className="num">Staff current (distinct people)</th>
              </>
            ) : null}
            {show.students ? (
              <>
                <th scope="col" className="num">Students trained this year</th>
                <th scope="col" className="num">Students trained, all time</th>
              </>
            ) : null}
            {show.community ? <th scope="col" className="num">Community partners trained</th> : null}
            <th scope="col" className="num">Expiring in 90 days</th>
            <th scope="col" className="num">Schools ready for Teen MHFA</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id || "district"}>
              <th scope="row">{linkRegions && r.id ? <Link to={`/lead/regions/${r.id}?${query}`}>{r.name}</Link> : r.name}</th>
              <td className="num">{formatCount(r.schools)}</td>
              {show.staff ? (
                <>
                  <td className="num">{formatCount(r.staffHeadcount)}</td>
                  <td className="num">{formatCount(r.staffCurrentAtSchools)}</td>
                  <td className="num">{formatPercent(r.staffReach)}</td>
                  <td className="num">{formatCount(r.staffCurrentPeople)}</td>
                </>
              ) : null}
              {show.students ? (
                <>
                  <td className="num">{formatCount(r.studentsTrainedYear)}</td>
                  <td className="num">{formatCount(r.studentsTrainedAllTime)}</td>
                </>
              ) : null}
              {show.community ? <td className="num">{formatCount(r.communityTrained)}</td> : null}
              <td className="num">{formatCount(r.expiring)}</td>
              <td className="num">{formatCount(r.teenReadySchools)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SchoolTable({ rows, show, caption, query, showRegion = true }: { rows: SchoolReachRow[]; show: Show; caption: string; query: string; showRegion?: boolean }) {
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <SortHeader column="name" label="School" />
            <SortHeader column="code" label="Code" />
            {showRegion ? <SortHeader column="region" label="Region" /> : null}
            {show.staff ? (
              <>
                <SortHeader column="headcount" label="Staff headcount" className="num" />
                <SortHeader column="current" label="Staff current" className="num" />
                <SortHeader column="reach" label="Staff reach" className="num" />
              </>
            ) : null}
            {show.students ? (
              <>
                <SortHeader column="studentsYear" label="Students trained this year" className="num" />
                <SortHeader column="studentsAllTime" label="Students trained, all time" className="num" />
              </>
            ) : null}
            {show.community ? <SortHeader column="community" label="Community partners trained" className="num" /> : null}
            <SortHeader column="expiring" label="Expiring in 90 days" className="num" />
            <SortHeader column="ymhfaReach" label="Teen MHFA readiness (staff with YMHFA)" className="num" />
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id}>
              <th scope="row"><Link to={`/lead/schools/${s.id}?${query}`}>{s.name}</Link></th>
              <td>{s.code}</td>
              {showRegion ? <td>{s.regionName}</td> : null}
              {show.staff ? (
                <>
                  <td className="num">{s.staffHeadcount == null ? "no headcount" : formatCount(s.staffHeadcount)}</td>
                  <td className="num">{formatCount(s.staffCurrent)}</td>
                  <td className="num">{formatPercent(s.staffReach)}</td>
                </>
              ) : null}
              {show.students ? (
                <>
                  <td className="num">{formatCount(s.studentsTrainedYear)}</td>
                  <td className="num">{formatCount(s.studentsTrainedAllTime)}</td>
                </>
              ) : null}
              {show.community ? <td className="num">{formatCount(s.communityTrained)}</td> : null}
              <td className="num">{formatCount(s.expiring)}</td>
              <td className="num">
                {s.teenReady == null ? "no headcount" : (
                  <>
                    <span className={`tag ${s.teenReady ? "tag-ok" : "tag-muted"}`}>{s.teenReady ? "Ready" : "Not yet"}</span> {formatPercent(s.ymhfaReach)}
                    {s.safetyProtocol ? null : <><br /><span className="muted">no safety protocol</span></>}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
