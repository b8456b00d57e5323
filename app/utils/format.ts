/** Dates are calendar days kept at 00:00 UTC; format them in UTC so no time zone shifts a day. */
export function formatDate(value: Date | string | null | undefined): string {
  if (value == null) return "—";
  const d = typeof value === "string" ? new Date(value) : value;
  return d.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

/** An instant shown in the district's time zone (root loader data: useTimeZone()). */
export function formatDateTime(value: Date | string, timeZone: string): string {
  const d = typeof value === "string" ? new Date(value) : value;
  return d.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone });
}

export function formatTime(value: Date | string, timeZone: string): string {
  const d = typeof value === "string" ? new Date(value) : value;
  return d.toLocaleTimeString("en-US", { timeStyle: "short", timeZone });
}

export function formatPercent(share: number | null): string {
  return share == null ? "no headcount" : `${(share * 100).toFixed(1)}%`;
}

export function formatCount(n: number | null | undefined): string {
  return n == null ? "—" : n.toLocaleString("en-US");
}
