/**
 * Every string the public QR check-in page shows, in English and Spanish. The page is used
 * on a phone at the door, often by families and community partners, so it speaks both.
 */
export const CHECK_IN_LANGUAGES = ["en", "es"] as const;
export type CheckInLanguage = (typeof CHECK_IN_LANGUAGES)[number];

export type CheckInMessages = {
  pageTitle: string;
  heading: string;
  intro: (programName: string, date: string) => string;
  switchTo: string;
  switchToLang: CheckInLanguage;
  withDistrictId: string;
  districtId: string;
  districtIdHint: string;
  orWithName: string;
  orWithNameHint: string;
  firstName: string;
  lastName: string;
  email: string;
  submit: string;
  problem: string;
  checkedInTitle: string;
  checkedIn: (programName: string, date: string) => string;
  alreadyCheckedIn: string;
  closeThePage: string;
  invalidTitle: string;
  invalidBody: string;
  closedTitle: string;
  closedBody: string;
  /** Not on the roster, or not known at all: the same words either way, so the page never tells which. */
  walkInTitle: string;
  walkInBody: (programName: string, date: string) => string;
  notStartedTitle: string;
  notStartedBody: (date: string) => string;
  errors: {
    nothingEntered: string;
    districtIdTooLong: string;
    districtIdFormat: string;
    firstNameRequired: string;
    lastNameRequired: string;
    nameTooLong: string;
    emailRequired: string;
    emailInvalid: string;
    emailTooLong: string;
    tooLarge: string;
    tooManyTries: string;
  };
};

export const CHECK_IN_MESSAGES: Record<CheckInLanguage, CheckInMessages> = {
  en: {
    pageTitle: "Check in",
    heading: "Check in to your training",
    intro: (program, date) => `${program}, ${date}`,
    switchTo: "Español",
    switchToLang: "es",
    withDistrictId: "With your district ID",
    districtId: "District ID",
    districtIdHint: "Your employee number or student ID.",
    orWithName: "Or with your name and email",
    orWithNameHint: "If you have no district ID, for example as a community partner.",
    firstName: "First name",
    lastName: "Last name",
    email: "Email",
    submit: "Check in",
    problem: "There is a problem",
    checkedInTitle: "You're checked in",
    checkedIn: (program, date) => `You're checked in for ${program} on ${date}.`,
    alreadyCheckedIn: "You had already checked in; nothing else to do.",
    closeThePage: "You can close this page.",
    invalidTitle: "This check-in link is not valid",
    invalidBody: "Scan the QR code again, or ask your trainer for the link.",
    closedTitle: "Check-in is closed",
    closedBody: "Check-in for this session has ended or was closed by the trainer. Please see your trainer.",
    walkInTitle: "Thanks: your trainer will confirm your check-in",
    walkInBody: (program, date) => `We passed your details to your trainer for ${program} on ${date}. Please let them know you are here.`,
    notStartedTitle: "Check-in has not started yet",
    notStartedBody: (date) => `Check-in for this day opens on ${date}. Please scan the code again then.`,
    errors: {
      nothingEntered: "Enter your district ID, or your first name, last name and email",
      districtIdTooLong: "District ID must be at most 40 characters",
      districtIdFormat: "District ID may contain only letters, numbers, dots, dashes, underscores and slashes",
      firstNameRequired: "Enter your first name",
      lastNameRequired: "Enter your last name",
      nameTooLong: "Names must be at most 80 characters",
      emailRequired: "Enter your email",
      emailInvalid: "Enter an email address like name@example.com",
      emailTooLong: "Email must be at most 200 characters",
      tooLarge: "That was too much text; please try again",
      tooManyTries: "Too many check-ins from here just now. Please try again in a minute.",
    },
  },
  es: {
    pageTitle: "Registrar asistencia",
    heading: "Registre su asistencia a la capacitación",
    intro: (program, date) => `${program}, ${date}`,
    switchTo: "English",
    switchToLang: "en",
    withDistrictId: "Con su número del distrito",
    districtId: "Número del distrito",
    districtIdHint: "Su número de empleado o de estudiante.",
    orWithName: "O con su nombre y correo electrónico",
    orWithNameHint: "Si no tiene número del distrito, por ejemplo si es colaborador de la comunidad.",
    firstName: "Nombre",
    lastName: "Apellido",
    email: "Correo electrónico",
    submit: "Registrar asistencia",
    problem: "Hay un problema",
    checkedInTitle: "Su asistencia quedó registrada",
    checkedIn: (program, date) => `Su asistencia a ${program} el ${date} quedó registrada.`,
    alreadyCheckedIn: "Ya se había registrado; no tiene que hacer nada más.",
    closeThePage: "Puede cerrar esta página.",
    invalidTitle: "Este enlace de registro no es válido",
    invalidBody: "Vuelva a escanear el código QR o pida el enlace a su instructor.",
    closedTitle: "El registro está cerrado",
    closedBody: "El registro para esta sesión terminó o el instructor lo cerró. Por favor, hable con su instructor.",
    walkInTitle: "Gracias: su instructor confirmará su asistencia",
    walkInBody: (program, date) => `Pasamos sus datos a su instructor de ${program} el ${date}. Por favor, avísele que ya llegó.`,
    notStartedTitle: "El registro todavía no ha comenzado",
    notStartedBody: (date) => `El registro para este día se abre el ${date}. Vuelva a escanear el código ese día.`,
    errors: {
      nothingEntered: "Escriba su número del distrito, o su nombre, apellido y correo electrónico",
      districtIdTooLong: "El número del distrito debe tener como máximo 40 caracteres",
      districtIdFormat: "El número del distrito solo puede tener letras, números, puntos, guiones, guiones bajos y barras",
      firstNameRequired: "Escriba su nombre",
      lastNameRequired: "Escriba su apellido",
      nameTooLong: "El nombre y el apellido deben tener como máximo 80 caracteres",
      emailRequired: "Escriba su correo electrónico",
      emailInvalid: "Escriba un correo electrónico como nombre@ejemplo.com",
      emailTooLong: "El correo electrónico debe tener como máximo 200 caracteres",
      tooLarge: "Envió demasiado texto; inténtelo de nuevo",
      tooManyTries: "Demasiados registros desde aquí en este momento. Inténtelo de nuevo en un minuto.",
    },
  },
};

export function isCheckInLanguage(value: unknown): value is CheckInLanguage {
  return value === "en" || value === "es";
}

/**
 * The page's language: an explicit ?lang= wins; otherwise the browser's Accept-Language,
 * by quality, first of English or Spanish; otherwise English.
 */
export function pickCheckInLanguage(requested: string | null | undefined, acceptLanguage: string | null | undefined): CheckInLanguage {
  if (isCheckInLanguage(requested)) return requested;
  if (!acceptLanguage) return "en";
  const ranked = acceptLanguage
    .slice(0, 500)
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { base: tag.trim().toLowerCase().split("-")[0], quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((l) => l.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  const first = ranked.find((l) => isCheckInLanguage(l.base));
  return first && isCheckInLanguage(first.base) ? first.base : "en";
}

/** The session date as the page shows it, in the district's time zone and the chosen language. */
export function formatCheckInDate(instant: Date, lang: CheckInLanguage, timeZone: string): string {
  return instant.toLocaleDateString(lang === "es" ? "es-US" : "en-US", { weekday: "long", year: "numeric", month: "long", day: "numeric", timeZone });
}
