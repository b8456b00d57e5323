import { Form, Link, NavLink } from "@remix-run/react";
import { ROLE_LABELS, type RoleName } from "~/domain/roles";

const NAV: Record<RoleName, Array<{ to: string; label: string }>> = {
  ADMIN: [
    { to: "/admin", label: "Overview" },
    { to: "/admin/schools", label: "Schools" },
    { to: "/admin/regions", label: "Regions" },
    { to: "/admin/programs", label: "Programs" },
    { to: "/admin/users", label: "Users" },
    { to: "/admin/headcounts", label: "Headcounts" },
    { to: "/admin/directory", label: "Directory imports" },
    { to: "/people", label: "People" },
    { to: "/sessions", label: "Sessions" },
    { to: "/lead", label: "Reach" },
    { to: "/lead/goals", label: "Goals" },
    { to: "/instructors", label: "Instructors" },
    { to: "/reports/certificates", label: "Certificates export" },
  ],
  PROGRAM_LEAD: [
    { to: "/lead", label: "District overview" },
    { to: "/lead/goals", label: "Goals" },
    { to: "/lead/growth", label: "Growth" },
    { to: "/lead/report", label: "Report" },
    { to: "/instructors", label: "Instructors" },
    { to: "/reports/certificates", label: "Certificates export" },
    { to: "/people", label: "People" },
    { to: "/sessions", label: "Sessions" },
  ],
  TRAINER: [
    { to: "/trainer", label: "Today" },
    { to: "/sessions", label: "My sessions" },
    { to: "/sessions/new", label: "New session" },
  ],
  COORDINATOR: [
    { to: "/coordinator", label: "My schools" },
    { to: "/people", label: "People" },
    { to: "/sessions", label: "Sessions" },
    { to: "/reports/certificates", label: "Certificates export" },
  ],
  MEMBER: [{ to: "/me", label: "My trainings" }],
};

export function SiteHeader({
  districtName,
  user,
}: {
  districtName: string;
  user: { name: string; email: string | null; role: RoleName } | null;
}) {
  return (
    <header className="site-header">
      <div className="brand">
        <Link to="/">{districtName}</Link>
        <span className="brand-sub">Mental health training</span>
      </div>
      {user ? (
        <>
          <nav aria-label="Main">
            <ul>
              {NAV[user.role].map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            <span>
              {user.name} <span className="muted">({ROLE_LABELS[user.role]})</span>
            </span>
            {/* Password accounts have a sign-in address; member accounts by email link or SSO have none. */}
            {user.email ? <Link to="/account/password">Password</Link> : null}
            <Form method="post" action="/logout">
              <button type="submit" className="button-link">
                Sign out
              </button>
            </Form>
          </div>
        </>
      ) : null}
    </header>
  );
}
