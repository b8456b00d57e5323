import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/session.server";
import { firstVisit, getMemberLanguage, getMemberReminderSettings, listJoinableSessions, listMemberCertificates, listMemberSessions, setMemberLanguage } from "~/models/member.server";
import { listRemindersForPerson } from "~/models/reminders.server";
import { getEnv } from "~/env.server";
import { createUnsubscribeToken } from "~/domain/unsubscribe-token";
import { createOrReplaceCalendarFeed, getCalendarFeedToken, turnOffCalendarFeed } from "~/models/calendar.server";
import { CalendarFeedSchema } from "~/forms/calendar-feed";
import { MEMBER_WORDS, memberDate, memberDateTime } from "~/domain/member-words";
import { isLanguage, type Language } from "~/domain/sign-in-messages";
import { useTimeZone } from "~/utils/use-time-zone";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: MEMBER_WORDS[data?.lang ?? "en"].title }];

/** An account not linked to a person has no language of its own. */
const UNLINKED_LANGUAGE: Language = "en";

const STATUS_TONES: Record<string, string> = { active: "tag-ok", "renewal-window": "tag-warn", expired: "tag-danger", renewed: "tag-muted", "not-yet-issued": "tag-muted", revoked: "tag-danger" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "MEMBER");
  const token = await getCalendarFeedToken(user.id);
  // The district's own address, never the Host header the request happened to carry.
  const base = getEnv().PUBLIC_BASE_URL;
  const feed = token ? { url: `${base}/calendar/${token}`, webcal: `${base.replace(/^https?:/, "webcal:")}/calendar/${token}` } : null;
  const welcome = await firstVisit(user.id);
  const district = getEnv().DISTRICT_NAME;
  if (!user.personId) return { linked: false as const, lang: UNLINKED_LANGUAGE, welcome, district, certificates: [], sessions: [], joinable: [], reminders: [], reminderEmails: null, feed };
  const personId = user.personId;
  const lang = await getMemberLanguage(personId);
  const [certificates, sessions, reminders, settings] = await Promise.all([
    listMemberCertificates(personId, new Date(), lang),
    listMemberSessions(personId),
    listRemindersForPerson(personId),
    getMemberReminderSettings(personId),
  ]);
  // Sessions to join, for programs where the member needs to renew or retake.
  const programs = new Map(certificates.filter((c) => c.guidance.suggestSessions).map((c) => [c.programId, c.programName]));
  const byProgram = await listJoinableSessions([...programs.keys()], personId);
  const joinable = [...programs].map(([programId, programName]) => ({ programId, programName, sessions: byProgram[programId] ?? [] }));
  return {
    linked: true as const,
    lang,
    welcome,
    district,
    certificates: certificates.map(({ verificationCode, ...c }) => ({
      ...c,
      // A revoked certificate is no longer offered as a PDF (the route answers 404).
      pdfPath: c.status === "revoked" ? null : `/me/certificates/${c.id}/pdf`,
      checkPath: `/verify/${verificationCode}`,
      // A renewal deadline to remember: only while the certificate is the member's current one.
      icsPath: c.expiresOn && (c.status === "active" || c.status === "renewal-window") ? `/me/certificates/${c.id}/ics` : null,
    })),
    sessions,
    joinable,
    reminders,
    // The same signed link as in the emails: the member turns reminder emails off or on there.
    reminderEmails: settings
      ? {
          address: settings.email?.trim() || null,
          off: settings.remindersOptOutAt != null,
          managePath: `/reminders/unsubscribe/${createUnsubscribeToken(personId, getEnv().sessionSecrets[0])}`,
        }
      : null,
    feed,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "MEMBER");
  const formData = await request.formData();
  const lang = user.personId ? await getMemberLanguage(user.personId) : "en";
  if (formData.get("intent") === "language") {
    // The member's language: this page, their emails and their certificate.
    const chosen = formData.get("language");
    if (!isLanguage(chosen) || !user.personId) return data({ notice: null, error: "Choose English or Español" }, { status: 400 });
    await setMemberLanguage(user.personId, chosen);
    return { notice: MEMBER_WORDS[chosen].languageSaved, error: null };
  }
  const parsed = CalendarFeedSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return data({ notice: null, error: parsed.error.issues[0]?.message ?? "Choose an action" }, { status: 400 });
  const w = MEMBER_WORDS[lang];
  switch (parsed.data.intent) {
    case "create-feed":
      await createOrReplaceCalendarFeed(user.id, { replace: false });
      return { notice: w.feedNotices.created, error: null };
    case "replace-feed":
      await createOrReplaceCalendarFeed(user.id, { replace: true });
      return { notice: w.feedNotices.replaced, error: null };
    case "turn-off-feed":
      await turnOffCalendarFeed(user.id);
      return { notice: w.feedNotices.off, error: null };
  }
}

export default function MyTrainings() {
  const { linked, lang, welcome, district, certificates, sessions, joinable, reminders, reminderEmails, feed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const timeZone = useTimeZone();
  const w = MEMBER_WORDS[lang];
  const formatDate = (d: Date | string | null | undefined) => memberDate(d, lang);
  const formatDateTime = (d: Date | string, zone: string) => memberDateTime(d, lang, zone);
  return (
    <div lang={lang}>
      {linked ? (
        <Form method="post" className="language-switch">
          <input type="hidden" name="language" value={w.switchTo} />
          <button type="submit" name="intent" value="language" className="button-link" lang={w.switchTo}>{w.switchLabel}</button>
        </Form>
      ) : null}
      <h1>{w.heading}</h1>
      {result?.notice ? <p className="notice" role="status">{result.notice}</p> : null}
      {result?.error ? <p className="error-summary" role="alert">{result.error}</p> : null}
      {welcome ? (
        <section className="panel" aria-labelledby="welcome">
          <h2 id="welcome">{w.welcomeHeading}</h2>
          {w.welcome(district).map((p) => <p key={p}>{p}</p>)}
        </section>
      ) : null}
      {!linked ? <p className="notice">{w.notLinked}</p> : null}

      <section className="panel" aria-labelledby="certs">
        <h2 id="certs">{w.certs}</h2>
        {certificates.length === 0 ? (
          <p className="muted">{w.noCerts}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>{w.certsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{w.cols.program}</th>
                  <th scope="col">{w.cols.issued}</th>
                  <th scope="col">{w.cols.expires}</th>
                  <th scope="col">{w.cols.status}</th>
                  <th scope="col">{w.cols.next}</th>
                  <th scope="col">{w.cols.certificate}</th>
                </tr>
              </thead>
              <tbody>
                {certificates.map((c) => {
                  const which = w.which(c.programName, formatDate(c.issuedOn));
                  return (
                    // id: emails link a certificate by it (/me#certificate-<id>).
                    <tr key={c.id} id={`certificate-${c.id}`}>
                      <th scope="row">{c.programName}</th>
                      <td>{formatDate(c.issuedOn)}</td>
                      <td>{c.expiresOn ? formatDate(c.expiresOn) : w.neverExpires}</td>
                      <td>
                        <span className={`tag ${STATUS_TONES[c.status] ?? "tag-muted"}`}>{w.status[c.status]}</span>
                      </td>
                      <td>
                        {c.guidance.summary}
                        {c.source ? <p className="hint">{w.recordedFrom(c.source)}</p> : null}
                        {c.guidance.programGuidance ? <p className="hint">{c.guidance.programGuidance}</p> : null}
                      </td>
                      <td>
                        <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
                          {c.pdfPath ? (
                            <li>
                              <a href={c.pdfPath} aria-label={`${w.downloadPdf}: ${which}`} download>
                                {w.downloadPdf}
                              </a>
                            </li>
                          ) : null}
                          <li>
                            <a href={c.checkPath} aria-label={`${w.publicCheck}: ${which}`}>
                              {w.publicCheck}
                            </a>
                          </li>
                          {c.icsPath ? (
                            <li>
                              <a href={c.icsPath} aria-label={`${w.addRenewal}: ${which}`}>
                                {w.addRenewal}
                              </a>
                            </li>
                          ) : null}
                        </ul>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {joinable.length > 0 ? (
        // id "upcoming": reminder emails link to /me#upcoming.
        <section className="panel" aria-labelledby="upcoming">
          <h2 id="upcoming">{w.upcoming}</h2>
          <p>{w.upcomingIntro}</p>
          {joinable.map((p) => (
            <section key={p.programId} aria-labelledby={`join-${p.programId}`}>
              <h3 id={`join-${p.programId}`}>{p.programName}</h3>
              {p.sessions.length === 0 ? (
                <p className="muted">{w.noSessionYet(p.programName)}</p>
              ) : (
                <ul>
                  {p.sessions.map((s) => (
                    <li key={s.id}>
                      {formatDateTime(s.firstDay, timeZone)} — {s.where}
                      {s.dayCount > 1 ? w.daysCount(s.dayCount) : ""}
                      {s.title ? `: ${s.title}` : ""}
                      {s.enrolled ? <strong>{w.enrolledMark}</strong> : null}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </section>
      ) : null}

      {linked ? (
        <section className="panel" aria-labelledby="reminders">
          <h2 id="reminders">{w.reminders}</h2>
          {reminderEmails ? (
            <p>
              {reminderEmails.address == null ? w.noAddress : reminderEmails.off ? w.emailsOff : w.emailsTo(reminderEmails.address)}
              {reminderEmails.address != null ? (
                <a href={reminderEmails.managePath}>{reminderEmails.off ? w.turnOn : w.stop}</a>
              ) : null}
            </p>
          ) : null}
          {reminders.length === 0 ? (
            <p className="muted">{w.noReminders}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption>{w.remindersCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{w.cols.certificate}</th>
                    <th scope="col">{w.cols.reminder}</th>
                    <th scope="col">{w.cols.sent}</th>
                    <th scope="col">{w.cols.how}</th>
                  </tr>
                </thead>
                <tbody>
                  {reminders.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        {w.expiresOn(r.programName, formatDate(r.expiresOn))}
                      </th>
                      <td>{r.daysBefore === 0 ? w.onTheDay : w.daysBefore(r.daysBefore)}</td>
                      <td>{r.sentAt ? formatDateTime(r.sentAt, timeZone) : w.due(formatDate(r.dueOn))}</td>
                      <td>{w.delivery(r.status, r.channel)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}

      <section className="panel" aria-labelledby="sessions">
        <h2 id="sessions">{w.sessions}</h2>
        {sessions.length === 0 ? (
          <p className="muted">{w.noSessions}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>{w.sessionsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{w.cols.program}</th>
                  <th scope="col">{w.cols.session}</th>
                  <th scope="col">{w.cols.where}</th>
                  <th scope="col">{w.cols.firstDay}</th>
                  <th scope="col" className="num">{w.cols.days}</th>
                  <th scope="col">{w.cols.status}</th>
                  <th scope="col">{w.cols.calendar}</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">{s.programName}</th>
                    <td>{s.title ?? "—"}</td>
                    <td>{s.where}</td>
                    <td>{s.firstDay ? formatDateTime(s.firstDay, timeZone) : "—"}</td>
                    <td className="num">{s.dayCount}</td>
                    <td>{w.sessionStatus(s.status)}</td>
                    <td>
                      {s.dayCount > 0 ? (
                        <a href={`/me/sessions/${s.id}/ics`} aria-label={`${w.addToCalendar}: ${s.programName}${s.firstDay ? `, ${formatDateTime(s.firstDay, timeZone)}` : ""}`}>
                          {w.addToCalendar}
                        </a>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {linked ? (
        <section className="panel" aria-labelledby="feed">
          <h2 id="feed">{w.feed}</h2>
          <p>{w.feedIntro}</p>
          {feed ? (
            <>
              <div className="field">
                <label htmlFor="feed-url">{w.feedAddress}</label>
                <p id="feed-url-hint" className="hint">{w.feedHint}</p>
                <input id="feed-url" type="text" readOnly value={feed.url} aria-describedby="feed-url-hint" onFocus={(e) => e.currentTarget.select()} />
              </div>
              <p>
                <a href={feed.webcal}>{w.openInApp}</a>
              </p>
              <Form method="post" className="actions">
                <button type="submit" name="intent" value="replace-feed" className="secondary">
                  {w.replaceFeed}
                </button>
                <button type="submit" name="intent" value="turn-off-feed" className="danger">
                  {w.turnOffFeed}
                </button>
              </Form>
            </>
          ) : (
            <Form method="post" className="actions">
              <button type="submit" name="intent" value="create-feed">
                {w.createFeed}
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </div>
  );
}
