/**
 * The two "email me a link" forms (sign in, reset a password) read and answer alike: one address, the same page
 * whether or not it is known, 429 past the rate limit, field errors in the page's language.
 */
import { data } from "@remix-run/node";
import { clientAddress } from "~/session.server";
import { purgeOldLinks, type LinkRequest } from "~/models/sign-in-link.server";
import { emailLinkSchema } from "~/forms/sign-in-link";
import { SIGN_IN_WORDS, isLanguage, languageFrom, type Language } from "~/domain/sign-in-messages";
import { safeRedirectPath } from "~/domain/roles";
import { fieldErrorsOf, formValues } from "~/utils/forms";

/** A posted language wins (the form carries the page's); else ?lang=, else the browser's. */
export function pageLanguage(request: Request, posted?: FormDataEntryValue | null): Language {
  if (isLanguage(posted)) return posted;
  return languageFrom(new URL(request.url).searchParams.get("lang"), request.headers.get("Accept-Language"));
}

export type EmailLinkResult = { sent: true; lang: Language } | { sent: false; lang: Language; errors: Record<string, string>; values: Record<string, string> };

export async function emailLinkAction(
  request: Request,
  context: unknown,
  send: (input: { email: string; redirectTo: string | null; lang: Language; clientAddress: string }) => Promise<LinkRequest>,
) {
  const formData = await request.formData();
  const lang = pageLanguage(request, formData.get("lang"));
  const parsed = emailLinkSchema(lang).safeParse(formValues(formData));
  if (!parsed.success) {
    const email = formData.get("email");
    return data<EmailLinkResult>({ sent: false, lang, errors: fieldErrorsOf(parsed.error), values: { email: typeof email === "string" ? email : "" } }, { status: 400 });
  }
  const redirectTo = safeRedirectPath(parsed.data.redirectTo, "") || null;
  const result = await send({ email: parsed.data.email, redirectTo, lang, clientAddress: clientAddress(request, context) });
  await purgeOldLinks();
  if (!result.ok) {
    const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
    return data<EmailLinkResult>(
      { sent: false, lang, errors: { form: SIGN_IN_WORDS[lang].tooMany(minutes) }, values: { email: parsed.data.email } },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  return data<EmailLinkResult>({ sent: true, lang });
}
