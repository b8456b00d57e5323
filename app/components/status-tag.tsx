import type { InstructorStatus } from "~/domain/instructor-standing";
import type { CertificationStatus } from "~/domain/program-rules";

const LABELS: Record<CertificationStatus, { text: string; tone: string }> = {
  active: { text: "Active", tone: "tag-ok" },
  "renewal-window": { text: "Renewal window open", tone: "tag-warn" },
  expired: { text: "Expired", tone: "tag-danger" },
  renewed: { text: "Renewed", tone: "tag-muted" },
  "not-yet-issued": { text: "Not yet issued", tone: "tag-muted" },
  revoked: { text: "Revoked", tone: "tag-danger" },
};

export function CertificationStatusTag({ status }: { status: CertificationStatus }) {
  const { text, tone } = LABELS[status];
  return <span className={`tag ${tone}`}>{text}</span>;
}

/** An instructor certification's standing on a date: not yet in force, expired, expiring soon or current. */
export function InstructorCertificationStatusTag({ certification: c }: { certification: { notYet: boolean; current: boolean; expiringSoon: boolean } }) {
  if (c.notYet) return <span className="tag tag-muted">Not yet in force</span>;
  if (!c.current) return <span className="tag tag-danger">Expired</span>;
  if (c.expiringSoon) return <span className="tag tag-warn">Expiring soon</span>;
  return <span className="tag tag-ok">Current</span>;
}

const STANDING_TONES: Record<InstructorStatus, string> = { expired: "tag-danger", "needs-certificate": "tag-danger", short: "tag-warn", current: "tag-ok" };

/** An instructor's standing in a program, in the words the page gives it ("Short: needs 2 more by …"). */
export function InstructorStandingTag({ status, words }: { status: InstructorStatus; words: string }) {
  return <span className={`tag ${STANDING_TONES[status]}`}>{words}</span>;
}
