/**
 * The coordinator's monthly digest of their schools: who became certified in the month, who expires
 * next, and staff reach against the schools' goals. Pure: the caller (app/models/coordinator-digest.server.ts)
 * reads the figures and masks people; this builds the subject, plain text and HTML, in the coordinator's language.
 *
 * Students are counts only, never names: an email leaves the app and is forwarded, and the pages that
 * show a coordinator their students' names check who is looking each time (docs/domain.md, Privacy).
 */
import { escapeHtml } from "./reminders";
import type { GoalStatus } from "./reach";

export type DigestLanguage = "en" | "es";

/** Names listed per list in the email; the rest are on the coordinator's page. */
export const DIGEST_LIST_LIMIT = 50;

/** Days of a month on which the scheduled pass still sends the previous month's digest (and retries a failed one). */
export const DIGEST_SEND_DAYS = 7;

export type DigestGoal = {
  programName: string;
  measure: "PEOPLE_TRAINED" | "STAFF_REACH";
  /** People, or percent of staff (0-100). */
  target: number;
  deadline: Date;
  /** People trained since the start, or reach in percent; null without a headcount. */
  value: number | null;
  status: GoalStatus;
};

export type DigestSchool = {
  name: string;
  code: string;
  staffHeadcount: number | null;
  /** Staff holding a current YMHFA certificate. */
  certifiedStaff: number;
  /** certifiedStaff / staffHeadcount (0-1); null without a headcount. */
  staffReach: number | null;
  /** Students of the school who became certified in the month: a count only. */
  studentsCertified: number;
  goals: DigestGoal[];
};

/** A staff member or partner (never a student) and one certificate. */
export type DigestCertificate = { name: string; programName: string; date: Date; schools: string[]; renewal?: boolean };

export type DigestInput = {
  coordinatorName: string;
  language: DigestLanguage;
  /** The first day of the month covered (00:00 UTC). */
  month: Date;
  /** The day the figures are read on (reach, goals, "the next 90 days"). */
  asOf: Date;
  districtName: string;
  baseUrl: string;
  schools: DigestSchool[];
  /** Staff and partners who became certified in the month, oldest first. */
  certified: DigestCertificate[];
  /** Staff and partners whose certificate (not renewed, not revoked) expires in the 90 days after asOf, soonest first. */
  expiring: DigestCertificate[];
};

export type DigestEmail = { subject: string; text: string; html: string; homeUrl: string };

const LOCALE = { en: "en-US", es: "es-US" } as const;

type DigestWords = {
  subject: (month: string, certified: number, expiring: number) => string;
  hello: (name: string) => string;
  intro: (month: string) => string;
  reachHeading: (asOf: string) => string;
  school: string;
  headcount: string;
  staffCertified: string;
  reach: string;
  noHeadcount: string;
  goalsHeading: string;
  noGoals: string;
  /** `now` is null when there is no figure yet (not started, or no headcount): the status says why. */
  goalLine: (school: string, program: string, measure: string, deadline: string, now: string | null, status: string) => string;
  peopleTrained: (n: string) => string;
  staffReachTarget: (pct: string) => string;
  certifiedHeading: (month: string) => string;
  nobodyCertified: string;
  renewal: string;
  studentsLine: (total: number, bySchool: string) => string;
  expiringHeading: string;
  nobodyExpiring: string;
  expiresOn: (date: string) => string;
  more: (n: number) => string;
  open: string;
  footer: (district: string) => string;
  why: string;
  stop: string;
  status: Record<GoalStatus, string>;
};

const WORDS: Record<DigestLanguage, DigestWords> = {
  en: {
    subject: (m, c, e) => `Your schools in ${m}: ${c} newly certified, ${e} expiring in the next 90 days`,
    hello: (n) => `Hello ${n},`,
    intro: (m) => `Here is what happened at your schools in ${m}.`,
    reachHeading: (d) => `YMHFA staff reach on ${d}`,
    school: "School",
    headcount: "Staff headcount",
    staffCertified: "Staff certified",
    reach: "Staff reach",
    noHeadcount: "no headcount",
    goalsHeading: "Goals",
    noGoals: "Your schools have no active goals.",
    goalLine: (s, p, m, d, now, st) => `${s}: ${p}, ${m} by ${d}.${now === null ? "" : ` Now ${now}.`} ${st}.`,
    peopleTrained: (n) => `${n} people trained`,
    staffReachTarget: (p) => `${p} staff reach`,
    certifiedHeading: (m) => `Became certified in ${m}`,
    nobodyCertified: "No staff member or partner at your schools became certified this month.",
    renewal: "renewal",
    studentsLine: (t, by) => `${t} ${t === 1 ? "student" : "students"} became certified (${by}). Student names are not sent by email.`,
    expiringHeading: "Expiring in the next 90 days",
    nobodyExpiring: "Nobody at your schools has a certificate expiring in the next 90 days.",
    expiresOn: (d) => `expires ${d}`,
    more: (n) => `…and ${n} more on your schools' page.`,
    open: "Open your schools' page",
    footer: (d) => `${d} mental-health training records`,
    why: "You get this email because you turned on the monthly digest of your schools.",
    stop: "To stop it, turn it off on your schools' page",
    status: { reached: "Reached", "on-track": "On track", "at-risk": "At risk", missed: "Deadline passed", "not-started": "Not started", "no-data": "No headcount" },
  },
  es: {
    subject: (m, c, e) => `Sus escuelas en ${m}: ${c} nuevas certificaciones, ${e} por vencer en los próximos 90 días`,
    hello: (n) => `Hola, ${n}:`,
    intro: (m) => `Esto es lo que pasó en sus escuelas en ${m}.`,
    reachHeading: (d) => `Alcance de YMHFA entre el personal al ${d}`,
    school: "Escuela",
    headcount: "Personal",
    staffCertified: "Personal certificado",
    reach: "Alcance",
    noHeadcount: "sin plantilla",
    goalsHeading: "Metas",
    noGoals: "Sus escuelas no tienen metas activas.",
    goalLine: (s, p, m, d, now, st) => `${s}: ${p}, ${m} para el ${d}.${now === null ? "" : ` Ahora ${now}.`} ${st}.`,
    peopleTrained: (n) => `${n} personas capacitadas`,
    staffReachTarget: (p) => `${p} de alcance entre el personal`,
    certifiedHeading: (m) => `Se certificaron en ${m}`,
    nobodyCertified: "Nadie del personal ni colaboradores de sus escuelas se certificó este mes.",
    renewal: "renovación",
    studentsLine: (t, by) => `${t} ${t === 1 ? "estudiante se certificó" : "estudiantes se certificaron"} (${by}). Los nombres de estudiantes no se envían por correo.`,
    expiringHeading: "Vencen en los próximos 90 días",
    nobodyExpiring: "Nadie en sus escuelas tiene un certificado que venza en los próximos 90 días.",
    expiresOn: (d) => `vence el ${d}`,
    more: (n) => `…y ${n} más en la página de sus escuelas.`,
    open: "Abrir la página de sus escuelas",
    footer: (d) => `Registros de capacitación en salud mental de ${d}`,
    why: "Recibe este correo porque activó el resumen mensual de sus escuelas.",
    stop: "Para dejar de recibirlo, desactívelo en la página de sus escuelas",
    status: { reached: "Alcanzada", "on-track": "En camino", "at-risk": "En riesgo", missed: "Plazo vencido", "not-started": "Sin comenzar", "no-data": "Sin plantilla" },
  },
};

/** One line of header text: no line breaks, so a name cannot inject mail headers. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, " ").trim();
}

export function monthWords(month: Date, lang: DigestLanguage): string {
  return month.toLocaleDateString(LOCALE[lang], { year: "numeric", month: "long", timeZone: "UTC" });
}

function dateWords(date: Date, lang: DigestLanguage): string {
  return date.toLocaleDateString(LOCALE[lang], { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

function countWords(n: number, lang: DigestLanguage): string {
  return n.toLocaleString(LOCALE[lang]);
}

function percentWords(percent: number, lang: DigestLanguage): string {
  return `${percent.toLocaleString(LOCALE[lang], { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
}

/** The month a digest sent on `today` covers: the one before today's month. */
export function previousMonth(today: Date): Date {
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
}

export function nextMonth(month: Date): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
}

/** The day the digest's figures are read on: the month's last day, or today while the month is still running. */
export function digestAsOf(month: Date, today: Date): Date {
  const lastDay = new Date(nextMonth(month).getTime() - 86_400_000);
  return today < lastDay ? today : lastDay;
}

/** Whether the scheduled pass sends the previous month's digest today (the first DIGEST_SEND_DAYS days of a month). */
export function isDigestSendDay(today: Date): boolean {
  return today.getUTCDate() <= DIGEST_SEND_DAYS;
}

/** "2026-11" as the first day of that month; null when it is not a month. */
export function parseDigestMonth(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return new Date(Date.UTC(Number(m[1]), month - 1, 1));
}

function goalFigures(goal: DigestGoal, lang: DigestLanguage, w: DigestWords) {
  const figure = (n: number) => (goal.measure === "STAFF_REACH" ? percentWords(n, lang) : countWords(Math.round(n), lang));
  const measure = goal.measure === "STAFF_REACH" ? w.staffReachTarget(figure(goal.target)) : w.peopleTrained(figure(goal.target));
  const now = goal.value === null || goal.status === "not-started" ? null : figure(goal.value);
  return { measure, now };
}

export function buildCoordinatorDigest(input: DigestInput): DigestEmail {
  const lang = input.language;
  const w = WORDS[lang];
  const base = input.baseUrl.replace(/\/+$/, "");
  const homeUrl = `${base}/coordinator`;
  const month = monthWords(input.month, lang);
  const asOf = dateWords(input.asOf, lang);
  const name = oneLine(input.coordinatorName);
  const district = oneLine(input.districtName);
  const studentsTotal = input.schools.reduce((sum, s) => sum + s.studentsCertified, 0);
  const newlyCertified = input.certified.length + studentsTotal;
  const subject = oneLine(w.subject(month, newlyCertified, input.expiring.length));

  const reachOf = (s: DigestSchool) => (s.staffReach === null ? w.noHeadcount : percentWords(s.staffReach * 100, lang));
  const goals = input.schools.flatMap((s) =>
    s.goals.map((g) => {
      const { measure, now } = goalFigures(g, lang, w);
      return w.goalLine(s.name, g.programName, measure, dateWords(g.deadline, lang), now, w.status[g.status]);
    }),
  );
  const studentsBySchool = input.schools.filter((s) => s.studentsCertified > 0).map((s) => `${s.name}: ${countWords(s.studentsCertified, lang)}`).join("; ");
  const studentsLine = studentsTotal > 0 ? w.studentsLine(studentsTotal, studentsBySchool) : null;
  const certLine = (c: DigestCertificate) =>
    `${c.name} — ${c.programName}${c.renewal ? ` (${w.renewal})` : ""}, ${dateWords(c.date, lang)}${c.schools.length ? ` — ${c.schools.join("; ")}` : ""}`;
  const expiringLine = (c: DigestCertificate) =>
    `${c.name} — ${c.programName}, ${w.expiresOn(dateWords(c.date, lang))}${c.schools.length ? ` — ${c.schools.join("; ")}` : ""}`;
  const shown = <T>(items: T[]) => ({ items: items.slice(0, DIGEST_LIST_LIMIT), more: Math.max(0, items.length - DIGEST_LIST_LIMIT) });
  const certified = shown(input.certified);
  const expiring = shown(input.expiring);

  const text = [
    w.hello(name),
    "",
    w.intro(month),
    "",
    w.reachHeading(asOf),
    ...input.schools.map((s) => `- ${s.name} (${s.code}): ${reachOf(s)} (${countWords(s.certifiedStaff, lang)} / ${s.staffHeadcount === null ? "—" : countWords(s.staffHeadcount, lang)})`),
    "",
    w.goalsHeading,
    ...(goals.length ? goals.map((g) => `- ${g}`) : [w.noGoals]),
    "",
    w.certifiedHeading(month),
    ...(certified.items.length ? certified.items.map((c) => `- ${certLine(c)}`) : [w.nobodyCertified]),
    ...(certified.more ? [w.more(certified.more)] : []),
    ...(studentsLine ? [studentsLine] : []),
    "",
    w.expiringHeading,
    ...(expiring.items.length ? expiring.items.map((c) => `- ${expiringLine(c)}`) : [w.nobodyExpiring]),
    ...(expiring.more ? [w.more(expiring.more)] : []),
    "",
    `${w.open}: ${homeUrl}`,
    "",
    "--",
    w.footer(district),
    `${w.why} ${w.stop}: ${homeUrl}`,
    "",
  ].join("\n");

  const e = escapeHtml;
  const cell = "padding: 4px 8px; border-bottom: 1px solid #d5dbe3; text-align: left;";
  const num = "padding: 4px 8px; border-bottom: 1px solid #d5dbe3; text-align: right;";
  const h2 = "font-size: 1.1em; margin: 1.5em 0 0.5em;";
  const list = (items: string[]) => `<ul style="padding-left: 1.2em; margin: 0;">\n${items.map((i) => `<li>${i}</li>`).join("\n")}\n</ul>`;
  const certItem = (c: DigestCertificate, when: string) =>
    `<strong>${e(c.name)}</strong> — ${e(c.programName)}${c.renewal ? ` (${e(w.renewal)})` : ""}, ${e(when)}${c.schools.length ? ` <span style="color: #55606e;">— ${e(c.schools.join("; "))}</span>` : ""}`;
  const html = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #1d2733; max-width: 40em;">
<p>${e(w.hello(name))}</p>
<p>${e(w.intro(month))}</p>
<h2 style="${h2}">${e(w.reachHeading(asOf))}</h2>
<table style="border-collapse: collapse;">
<thead><tr><th scope="col" style="${cell}">${e(w.school)}</th><th scope="col" style="${num}">${e(w.headcount)}</th><th scope="col" style="${num}">${e(w.staffCertified)}</th><th scope="col" style="${num}">${e(w.reach)}</th></tr></thead>
<tbody>
${input.schools.map((s) => `<tr><th scope="row" style="${cell}">${e(s.name)} <span style="color: #55606e; font-weight: normal;">(${e(s.code)})</span></th><td style="${num}">${s.staffHeadcount === null ? "—" : e(countWords(s.staffHeadcount, lang))}</td><td style="${num}">${e(countWords(s.certifiedStaff, lang))}</td><td style="${num}">${e(reachOf(s))}</td></tr>`).join("\n")}
</tbody>
</table>
<h2 style="${h2}">${e(w.goalsHeading)}</h2>
${goals.length ? list(goals.map(e)) : `<p>${e(w.noGoals)}</p>`}
<h2 style="${h2}">${e(w.certifiedHeading(month))}</h2>
${certified.items.length ? list(certified.items.map((c) => certItem(c, dateWords(c.date, lang)))) : `<p>${e(w.nobodyCertified)}</p>`}
${certified.more ? `<p>${e(w.more(certified.more))}</p>\n` : ""}${studentsLine ? `<p>${e(studentsLine)}</p>\n` : ""}<h2 style="${h2}">${e(w.expiringHeading)}</h2>
${expiring.items.length ? list(expiring.items.map((c) => certItem(c, w.expiresOn(dateWords(c.date, lang))))) : `<p>${e(w.nobodyExpiring)}</p>`}
${expiring.more ? `<p>${e(w.more(expiring.more))}</p>\n` : ""}<p style="margin-top: 1.5em;"><a href="${e(homeUrl)}">${e(w.open)}</a></p>
<hr>
<p style="font-size: 0.9em; color: #55606e;">${e(w.footer(district))}.
${e(w.why)}
<a href="${e(homeUrl)}">${e(w.stop)}</a>.</p>
</body>
</html>
`;
  return { subject, text, html, homeUrl };
}
