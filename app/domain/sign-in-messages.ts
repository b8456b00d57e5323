/**
 * The words of signing in by email link and of resetting a password, in English and Spanish: the pages a member
 * meets first, and the emails that bring them. The language is the page's (?lang=es, else the browser's first choice).
 */
/** How long an emailed sign-in or reset link works. */
export const LINK_MINUTES = 15;

export const LANGUAGES = ["en", "es"] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return value === "en" || value === "es";
}

/** ?lang= wins; else the browser's Accept-Language when it prefers Spanish; else English. */
export function languageFrom(query: string | null, acceptLanguage: string | null): Language {
  if (isLanguage(query)) return query;
  const first = (acceptLanguage ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("es") ? "es" : "en";
}

export type SignInWords = {
  switchTo: string;
  switchToLang: Language;
  linkPageTitle: string;
  linkHeading: string;
  linkIntro: string;
  emailLabel: string;
  emailHint: string;
  sendLink: string;
  sentHeading: string;
  sentBody: (minutes: number) => string;
  tooMany: (minutes: number) => string;
  passwordInstead: string;
  noPassword: string;
  forgotPassword: string;
  chooseTitle: string;
  chooseHeading: string;
  continueAs: (name: string) => string;
  sharedMailbox: string;
  whoAreYou: string;
  continue: string;
  chooseError: string;
  goneTitle: string;
  goneBody: string;
  askAgain: string;
  inactive: string;
  email: { subject: string; greeting: string; body: (district: string, minutes: number) => string; shared: string; ignore: string; button: string };
  resetTitle: string;
  resetHeading: string;
  resetIntro: string;
  sendReset: string;
  resetSentBody: (minutes: number) => string;
  newPasswordTitle: string;
  newPasswordHeading: (name: string) => string;
  newPassword: string;
  newPasswordHint: string;
  confirmPassword: string;
  savePassword: string;
  resetEmail: { subject: string; body: (district: string, minutes: number) => string; ignore: string; button: string };
  errors: { emailRequired: string; emailFormat: string; emailTooLong: string; passwordShort: (n: number) => string; passwordLong: (n: number) => string; passwordsDiffer: string };
};

export const SIGN_IN_WORDS: Record<Language, SignInWords> = {
  en: {
    switchTo: "Español",
    switchToLang: "es",
    linkPageTitle: "Sign in by email",
    linkHeading: "Sign in with a link by email",
    linkIntro: "No password needed. Type the email address your school or district has for you, and we send a link that signs you in.",
    emailLabel: "Your email address",
    emailHint: "The address on your district record, e.g. your school email.",
    sendLink: "Email me a sign-in link",
    sentHeading: "Check your email",
    sentBody: (m) => `If that address is on file, a sign-in link is on its way. It works once, within ${m} minutes. Nothing arrived? Check the spam folder, or ask your school’s training coordinator which address they have for you.`,
    tooMany: (m) => `Too many requests for sign-in links. Try again in ${m} ${m === 1 ? "minute" : "minutes"}.`,
    passwordInstead: "Sign in with a password instead",
    noPassword: "No password? Get a sign-in link by email",
    forgotPassword: "Forgot your password?",
    chooseTitle: "Sign in",
    chooseHeading: "Sign in",
    continueAs: (name) => `Continue as ${name}`,
    sharedMailbox: "Several people use this email address.",
    whoAreYou: "Who is signing in?",
    continue: "Continue",
    chooseError: "Choose who is signing in.",
    goneTitle: "This link no longer works",
    goneBody: "Sign-in links work once, within 15 minutes. Ask for a new one.",
    askAgain: "Get a new sign-in link",
    inactive: "This account is switched off. Ask your district’s administrator.",
    email: {
      subject: "Your sign-in link",
      greeting: "Hello,",
      body: (d, m) => `Open this link to see your training records and certificates at ${d}. It works once, within ${m} minutes.`,
      shared: "Several people use this address: the link asks who is signing in.",
      ignore: "If you did not ask to sign in, ignore this email; nothing happens.",
      button: "Sign in",
    },
    resetTitle: "Reset your password",
    resetHeading: "Reset your password",
    resetIntro: "For accounts that sign in with a password (administrators, trainers, coordinators). We email a link to set a new one.",
    sendReset: "Email me a reset link",
    resetSentBody: (m) => `If an account with a password has that address, a link to set a new password is on its way. It works once, within ${m} minutes.`,
    newPasswordTitle: "Set a new password",
    newPasswordHeading: (name) => `Set a new password for ${name}`,
    newPassword: "New password",
    newPasswordHint: "At least 12 characters. A few words you will remember is a good password.",
    confirmPassword: "New password, again",
    savePassword: "Save the password and sign in",
    resetEmail: {
      subject: "Reset your password",
      body: (d, m) => `Someone asked to reset the password of your account at ${d}. Open this link to set a new one; it works once, within ${m} minutes.`,
      ignore: "If it was not you, ignore this email: your password stays as it is.",
      button: "Set a new password",
    },
    errors: {
      emailRequired: "Email is required",
      emailFormat: "Enter an email address like name@school.org",
      emailTooLong: "Email must be at most 254 characters",
      passwordShort: (n) => `The password must be at least ${n} characters`,
      passwordLong: (n) => `The password must be at most ${n} characters`,
      passwordsDiffer: "The two passwords are not the same",
    },
  },
  es: {
    switchTo: "English",
    switchToLang: "en",
    linkPageTitle: "Iniciar sesión por correo",
    linkHeading: "Iniciar sesión con un enlace por correo",
    linkIntro: "No necesita contraseña. Escriba el correo electrónico que su escuela o distrito tiene registrado y le enviaremos un enlace para entrar.",
    emailLabel: "Su correo electrónico",
    emailHint: "El correo de su registro en el distrito, por ejemplo el de su escuela.",
    sendLink: "Enviarme un enlace",
    sentHeading: "Revise su correo",
    sentBody: (m) => `Si ese correo está registrado, le llegará un enlace para iniciar sesión. Funciona una vez, durante ${m} minutos. ¿No llegó? Revise la carpeta de correo no deseado o pregunte a la persona coordinadora de capacitación de su escuela qué correo tienen registrado.`,
    tooMany: (m) => `Demasiadas solicitudes de enlaces. Inténtelo de nuevo en ${m} ${m === 1 ? "minuto" : "minutos"}.`,
    passwordInstead: "Iniciar sesión con contraseña",
    noPassword: "¿No tiene contraseña? Reciba un enlace por correo",
    forgotPassword: "¿Olvidó su contraseña?",
    chooseTitle: "Iniciar sesión",
    chooseHeading: "Iniciar sesión",
    continueAs: (name) => `Continuar como ${name}`,
    sharedMailbox: "Varias personas usan este correo electrónico.",
    whoAreYou: "¿Quién inicia sesión?",
    continue: "Continuar",
    chooseError: "Elija quién inicia sesión.",
    goneTitle: "Este enlace ya no funciona",
    goneBody: "Los enlaces funcionan una vez, durante 15 minutos. Pida uno nuevo.",
    askAgain: "Recibir un enlace nuevo",
    inactive: "Esta cuenta está desactivada. Consulte con la administración del distrito.",
    email: {
      subject: "Su enlace para iniciar sesión",
      greeting: "Hola:",
      body: (d, m) => `Abra este enlace para ver sus capacitaciones y certificados en ${d}. Funciona una vez, durante ${m} minutos.`,
      shared: "Varias personas usan este correo: el enlace le preguntará quién inicia sesión.",
      ignore: "Si no pidió iniciar sesión, ignore este mensaje; no pasará nada.",
      button: "Iniciar sesión",
    },
    resetTitle: "Restablecer la contraseña",
    resetHeading: "Restablecer la contraseña",
    resetIntro: "Para cuentas que entran con contraseña (administración, capacitadores, coordinación). Le enviamos un enlace para crear una nueva.",
    sendReset: "Enviarme un enlace",
    resetSentBody: (m) => `Si una cuenta con contraseña tiene ese correo, le llegará un enlace para crear una contraseña nueva. Funciona una vez, durante ${m} minutos.`,
    newPasswordTitle: "Nueva contraseña",
    newPasswordHeading: (name) => `Nueva contraseña para ${name}`,
    newPassword: "Contraseña nueva",
    newPasswordHint: "Al menos 12 caracteres. Unas cuantas palabras que recuerde son una buena contraseña.",
    confirmPassword: "Repita la contraseña nueva",
    savePassword: "Guardar la contraseña y entrar",
    resetEmail: {
      subject: "Restablecer su contraseña",
      body: (d, m) => `Alguien pidió restablecer la contraseña de su cuenta en ${d}. Abra este enlace para crear una nueva; funciona una vez, durante ${m} minutos.`,
      ignore: "Si no fue usted, ignore este mensaje: su contraseña no cambia.",
      button: "Crear una contraseña nueva",
    },
    errors: {
      emailRequired: "El correo electrónico es obligatorio",
      emailFormat: "Escriba un correo como nombre@escuela.org",
      emailTooLong: "El correo no puede tener más de 254 caracteres",
      passwordShort: (n) => `La contraseña debe tener al menos ${n} caracteres`,
      passwordLong: (n) => `La contraseña no puede tener más de ${n} caracteres`,
      passwordsDiffer: "Las dos contraseñas no coinciden",
    },
  },
};
