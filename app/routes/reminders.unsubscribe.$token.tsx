import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getEnv } from "~/env.server";
import { verifyUnsubscribeToken } from "~/domain/unsubscribe-token";
import { getReminderSubscription, setRemindersOptOut } from "~/models/reminders.server";
import { AppErrorBoundary } from "~/components/error-boundary";
import { formatDate } from "~/utils/format";

export const meta: MetaFunction = () => [{ title: "Renewal reminder emails" }, { name: "robots", content: "noindex" }];

/**
 * No sign-in: the signed token in the email's link is the permission. GET only shows a button
 * (link scanners and previews follow GET links; they must not unsubscribe anyone); POST acts.
 */
async function personFromToken(token: string | undefined) {
  const personId = token ? verifyUnsubscribeToken(token, getEnv().sessionSecrets) : null;
  const person = personId ? await getReminderSubscription(personId) : null;
  if (!person) throw new Response("This unsubscribe link is not valid.", { status: 404 });
  return person;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const person = await personFromToken(params.token);
  return { firstName: person.firstName, optedOutAt: person.remindersOptOutAt };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const person = await personFromToken(params.token);
  const form = await request.formData();
  const intent = form.get("intent");
  // Mail clients' one-click unsubscribe (RFC 8058) posts List-Unsubscribe=One-Click.
  if (intent === "unsubscribe" || form.get("List-Unsubscribe") === "One-Click") {
    await setRemindersOptOut(person.id, true);
    return { done: "unsubscribed" as const };
  }
  if (intent === "resubscribe") {
    await setRemindersOptOut(person.id, false);
    return { done: "resubscribed" as const };
  }
  return data({ done: null, error: "Choose one of the buttons." }, { status: 400 });
}

export default function Unsubscribe() {
  const { firstName, optedOutAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const optedOut = optedOutAt != null;
  return (
    <div className="narrow">
      <h1>Renewal reminder emails</h1>
      {result?.done === "unsubscribed" ? (
        <p className="notice" role="status">
          Done, {firstName}: you will get no more renewal reminder emails. Your certificates and their expiry dates are
          still on your page.
        </p>
      ) : null}
      {result?.done === "resubscribed" ? (
        <p className="notice" role="status">
          Done, {firstName}: renewal reminder emails are on again.
        </p>
      ) : null}
      {result && "error" in result ? (
        <p className="field-error" role="alert">
          {result.error}
        </p>
      ) : null}
      {optedOut ? (
        <>
          {result?.done !== "unsubscribed" ? (
            <p>Renewal reminder emails are off for {firstName} (since {formatDate(optedOutAt)}).</p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="resubscribe" />
            <button type="submit" className="secondary">
              Send me renewal reminders again
            </button>
          </Form>
        </>
      ) : (
        <>
          {result?.done !== "resubscribed" ? (
            <p>
              {firstName}, we email you before a training certificate expires, so you can renew it in time. Do you want to
              stop these emails?
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="unsubscribe" />
            <button type="submit">Stop renewal reminder emails</button>
          </Form>
        </>
      )}
      <p>
        <a href="/me">See your certificates and their expiry dates</a> (sign-in needed).
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <AppErrorBoundary
      messages={{
        404: {
          title: "This link is not valid",
          body: "The unsubscribe link is incomplete or was changed. Copy the whole link from the email and try again.",
        },
      }}
    />
  );
}
