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
