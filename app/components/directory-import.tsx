import { useEffect } from "react";
import { useRevalidator } from "@remix-run/react";
import { OutcomeTag } from "~/components/admin-import";

const STATUS: Record<string, { tone: "ok" | "warn" | "danger" | "muted"; label: string }> = {
  MAPPING: { tone: "warn", label: "Waiting for the column mapping" },
  STAGING: { tone: "warn", label: "Checking" },
  READY: { tone: "warn", label: "Ready to review; nothing written yet" },
  COMMITTING: { tone: "warn", label: "Writing" },
  COMMITTED: { tone: "ok", label: "Committed" },
  FAILED: { tone: "danger", label: "Failed; nothing written" },
  DISCARDED: { tone: "muted", label: "Discarded; nothing written" },
};

export function ImportStatusTag({ status }: { status: string }) {
  const s = STATUS[status] ?? { tone: "muted", label: status };
  return <OutcomeTag tone={s.tone}>{s.label}</OutcomeTag>;
}

export const OUTCOME_WORDS: Record<string, { tone: "ok" | "warn" | "danger" | "muted"; label: string; plural: string }> = {
  NEW: { tone: "ok", label: "New person", plural: "new people" },
  UPDATED: { tone: "warn", label: "Updated", plural: "updated" },
  UNCHANGED: { tone: "muted", label: "Unchanged", plural: "unchanged" },
  REVIEW: { tone: "danger", label: "To review", plural: "to review" },
  IGNORED: { tone: "muted", label: "Ignored", plural: "ignored" },
};

/**
 * Progress of a running import. With JavaScript the page's data is fetched again every second and a half;
 * without it, the page reloads itself (a refresh in <noscript> is read only when scripts are off).
 */
export function ImportProgress({ phase, progress }: { phase: string; progress: number | null }) {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1500);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <section className="panel" aria-labelledby="progress-heading">
      <noscript>
        <meta httpEquiv="refresh" content="2" />
      </noscript>
      <h2 id="progress-heading">Working</h2>
      <div role="status" aria-live="polite">
        <p>{phase || "Starting"}{progress !== null ? `: ${progress}%` : "…"}</p>
      </div>
      {progress !== null ? (
        <progress max={100} value={progress} aria-labelledby="progress-heading">{progress}%</progress>
      ) : null}
      <p className="hint">You can leave this page: the import goes on, and its page in Directory imports shows where it is.</p>
    </section>
  );
}
