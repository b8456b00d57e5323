/**
 * The member's page (/me), in English and Spanish: the language is the person's (Person.language), which also sets the
 * language of their emails and certificate. Dates are calendar days at 00:00 UTC, formatted in UTC.
 */
import type { CertificationStatus } from "~/domain/program-rules";
import type { Language } from "~/domain/sign-in-messages";

const LOCALES: Record<Language, string> = { en: "en-US", es: "es-US" };

export function memberDate(value: Date | string | null | undefined, lang: Language): string {
  if (value == null) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return d.toLocaleDateString(LOCALES[lang], { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

export function memberDateTime(value: Date | string, lang: Language, timeZone: string): string {
  const d = typeof value === "string" ? new Date(value) : value;
  return d.toLocaleString(LOCALES[lang], { dateStyle: "medium", timeStyle: "short", timeZone });
}

export type MemberWords = {
  title: string;
  heading: string;
  switchLabel: string;
  switchTo: Language;
  welcomeHeading: string;
  welcome: (district: string) => string[];
  notLinked: string;
  certs: string;
  noCerts: string;
  certsCaption: string;
  cols: { program: string; issued: string; expires: string; status: string; next: string; certificate: string; reminder: string; sent: string; how: string; session: string; where: string; firstDay: string; days: string; calendar: string };
  neverExpires: string;
  status: Record<CertificationStatus, string>;
  downloadPdf: string;
  publicCheck: string;
  addRenewal: string;
  which: (program: string, issued: string) => string;
  /** A certificate earned elsewhere and recorded here. */
  recordedFrom: (source: string) => string;
  upcoming: string;
  upcomingIntro: string;
  noSessionYet: (program: string) => string;
  enrolledMark: string;
  daysCount: (n: number) => string;
  reminders: string;
  noAddress: string;
  emailsOff: string;
  emailsTo: (address: string) => string;
  turnOn: string;
  stop: string;
  noReminders: string;
  remindersCaption: string;
  expiresOn: (program: string, date: string) => string;
  onTheDay: string;
  daysBefore: (n: number) => string;
  due: (date: string) => string;
  delivery: (status: string, channel: string | null) => string;
  sessions: string;
  noSessions: string;
  sessionsCaption: string;
  sessionStatus: (s: string) => string;
  addToCalendar: string;
  feed: string;
  feedIntro: string;
  feedAddress: string;
  feedHint: string;
  openInApp: string;
  replaceFeed: string;
  turnOffFeed: string;
  createFeed: string;
  feedNotices: { created: string; replaced: string; off: string };
  languageSaved: string;
};

export const MEMBER_WORDS: Record<Language, MemberWords> = {
  en: {
    title: "My trainings",
    heading: "My trainings",
    switchLabel: "Ver en español",
    switchTo: "es",
    welcomeHeading: "Welcome",
    welcome: (d) => [
      `This is your record of mental-health training with ${d}: the certificates you earned (Youth Mental Health First Aid, QPR and others), when each expires and how to renew it, and the sessions you are enrolled in.`,
      "Download a certificate as a PDF for your files, or give someone its public check link. Certificates last three years; before one expires we email you a reminder, and this page says what to do.",
    ],
    notLinked: "Your account is not linked to a person record yet. Ask an administrator to link it using your district ID.",
    certs: "My certificates",
    noCerts: "No certificates yet.",
    certsCaption: "Certificates you hold or held, and what to do next",
    cols: { program: "Program", issued: "Issued on", expires: "Expires on", status: "Status", next: "What to do next", certificate: "Certificate", reminder: "Reminder", sent: "Sent", how: "How", session: "Session", where: "Where", firstDay: "First day", days: "Days", calendar: "Calendar" },
    neverExpires: "Never expires",
    status: { active: "Active", "renewal-window": "Renewal window open", expired: "Expired", renewed: "Renewed", "not-yet-issued": "Not yet issued", revoked: "Revoked" },
    downloadPdf: "Download PDF",
    publicCheck: "Public check",
    addRenewal: "Add renewal deadline to calendar (.ics)",
    which: (p, d) => `${p} certificate issued ${d}`,
    recordedFrom: (s) => `Recorded from ${s}.`,
    upcoming: "Sessions you can join",
    upcomingIntro: "To take one of these sessions, ask your school coordinator or the program's trainers to enroll you.",
    noSessionYet: (p) => `No ${p} session is scheduled yet.`,
    enrolledMark: " (you are enrolled)",
    daysCount: (n) => ` (${n} days)`,
    reminders: "Renewal reminders",
    noAddress: "We have no email address for you, so your renewal reminders appear only here. ",
    emailsOff: "Reminder emails are off: your renewal reminders appear only here. ",
    emailsTo: (a) => `We email renewal reminders to ${a} before a certificate expires, and list them here. `,
    turnOn: "Turn reminder emails back on",
    stop: "Stop reminder emails",
    noReminders: "No renewal reminder has been sent to you yet.",
    remindersCaption: "Reminders about your certificates, newest first",
    expiresOn: (p, d) => `${p}, expires ${d}`,
    onTheDay: "On the day it expires",
    daysBefore: (n) => `${n} ${n === 1 ? "day" : "days"} before it expires`,
    due: (d) => `Due ${d}`,
    delivery: (status, channel) => (status === "SENT" ? (channel === "none" ? "Shown here only (not emailed)" : "Emailed to you") : status === "FAILED" ? "The email could not be sent" : "Being sent"),
    sessions: "My sessions",
    noSessions: "You are not enrolled in any session.",
    sessionsCaption: "Sessions you are enrolled in",
    sessionStatus: (s) => (s === "SCHEDULED" ? "Scheduled" : s === "CLOSED" ? "Completed" : "Cancelled"),
    addToCalendar: "Add to calendar (.ics)",
    feed: "Calendar feed",
    feedIntro: "A calendar feed keeps your upcoming sessions and renewal dates in Outlook, Google Calendar or Apple Calendar, and updates them by itself. Anyone who has the address can see those dates, so keep it private. If it leaks, replace it: the old address stops working.",
    feedAddress: "Your feed address",
    feedHint: "Copy it into your calendar app (in Google Calendar: Other calendars, From URL; in Outlook: Add calendar, Subscribe from web).",
    openInApp: "Open in your calendar app",
    replaceFeed: "Replace the address",
    turnOffFeed: "Turn off the feed",
    createFeed: "Create my feed address",
    feedNotices: {
      created: "Your calendar feed address is ready. Add it to your calendar app.",
      replaced: "Your calendar feed has a new address. The old address no longer works: update your calendar app.",
      off: "Your calendar feed is turned off. Its address no longer works.",
    },
    languageSaved: "This page, your emails and your certificates are now in English.",
  },
  es: {
    title: "Mis capacitaciones",
    heading: "Mis capacitaciones",
    switchLabel: "View in English",
    switchTo: "en",
    welcomeHeading: "Bienvenida",
    welcome: (d) => [
      `Este es su registro de capacitación en salud mental con ${d}: los certificados que obtuvo (Primeros Auxilios en Salud Mental para Jóvenes, QPR y otros), cuándo vence cada uno y cómo renovarlo, y las sesiones en las que está inscrito o inscrita.`,
      "Descargue un certificado en PDF para sus archivos o comparta su enlace de verificación pública. Los certificados duran tres años; antes de que uno venza le enviamos un recordatorio por correo, y esta página le dice qué hacer.",
    ],
    notLinked: "Su cuenta todavía no está vinculada a un registro de persona. Pida a la administración que la vincule con su número de identificación del distrito.",
    certs: "Mis certificados",
    noCerts: "Todavía no tiene certificados.",
    certsCaption: "Certificados que tiene o tuvo, y qué hacer a continuación",
    cols: { program: "Programa", issued: "Emitido", expires: "Vence", status: "Estado", next: "Qué hacer", certificate: "Certificado", reminder: "Recordatorio", sent: "Enviado", how: "Cómo", session: "Sesión", where: "Lugar", firstDay: "Primer día", days: "Días", calendar: "Calendario" },
    neverExpires: "No vence",
    status: { active: "Vigente", "renewal-window": "Plazo de renovación abierto", expired: "Vencido", renewed: "Renovado", "not-yet-issued": "Aún no emitido", revoked: "Revocado" },
    downloadPdf: "Descargar PDF",
    publicCheck: "Verificación pública",
    addRenewal: "Agregar la fecha de renovación al calendario (.ics)",
    which: (p, d) => `certificado de ${p} emitido el ${d}`,
    recordedFrom: (s) => `Registrado a partir de: ${s}.`,
    upcoming: "Sesiones a las que puede asistir",
    upcomingIntro: "Para tomar una de estas sesiones, pida a la coordinación de su escuela o a los capacitadores del programa que le inscriban.",
    noSessionYet: (p) => `Todavía no hay una sesión de ${p} programada.`,
    enrolledMark: " (ya está inscrito o inscrita)",
    daysCount: (n) => ` (${n} días)`,
    reminders: "Recordatorios de renovación",
    noAddress: "No tenemos su correo electrónico, así que sus recordatorios solo aparecen aquí. ",
    emailsOff: "Los recordatorios por correo están desactivados: solo aparecen aquí. ",
    emailsTo: (a) => `Enviamos los recordatorios de renovación a ${a} antes de que venza un certificado, y los mostramos aquí. `,
    turnOn: "Volver a recibir recordatorios por correo",
    stop: "Dejar de recibir recordatorios por correo",
    noReminders: "Todavía no se le ha enviado ningún recordatorio de renovación.",
    remindersCaption: "Recordatorios sobre sus certificados, los más recientes primero",
    expiresOn: (p, d) => `${p}, vence el ${d}`,
    onTheDay: "El día en que vence",
    daysBefore: (n) => `${n} ${n === 1 ? "día" : "días"} antes de que venza`,
    due: (d) => `Previsto para el ${d}`,
    delivery: (status, channel) => (status === "SENT" ? (channel === "none" ? "Solo aquí (sin correo)" : "Enviado a su correo") : status === "FAILED" ? "No se pudo enviar el correo" : "Enviándose"),
    sessions: "Mis sesiones",
    noSessions: "No está inscrito o inscrita en ninguna sesión.",
    sessionsCaption: "Sesiones en las que está inscrito o inscrita",
    sessionStatus: (s) => (s === "SCHEDULED" ? "Programada" : s === "CLOSED" ? "Terminada" : "Cancelada"),
    addToCalendar: "Agregar al calendario (.ics)",
    feed: "Calendario en línea",
    feedIntro: "Un calendario en línea mantiene sus próximas sesiones y fechas de renovación en Outlook, Google Calendar o Apple Calendar, y las actualiza solo. Cualquiera que tenga la dirección puede ver esas fechas, así que manténgala privada. Si se filtra, reemplácela: la dirección anterior deja de funcionar.",
    feedAddress: "La dirección de su calendario",
    feedHint: "Cópiela en su aplicación de calendario (en Google Calendar: Otros calendarios, Desde URL; en Outlook: Agregar calendario, Suscribirse desde la web).",
    openInApp: "Abrir en su aplicación de calendario",
    replaceFeed: "Reemplazar la dirección",
    turnOffFeed: "Desactivar el calendario",
    createFeed: "Crear la dirección de mi calendario",
    feedNotices: {
      created: "La dirección de su calendario está lista. Agréguela a su aplicación de calendario.",
      replaced: "Su calendario tiene una dirección nueva. La anterior ya no funciona: actualice su aplicación de calendario.",
      off: "Su calendario en línea está desactivado. Su dirección ya no funciona.",
    },
    languageSaved: "Esta página, sus correos y sus certificados ahora están en español.",
  },
};
