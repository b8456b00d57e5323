import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, makeRequest, prisma, signIn, unique } from "./helpers";
import { errorsOf, expectAdminOnly, hit, valuesOf, type Endpoint } from "./admin-route-helpers";
import { verifySignIn } from "~/models/user.server";
import * as userList from "~/routes/admin.users._index";
import * as newUser from "~/routes/admin.users.new";
import * as editUser from "~/routes/admin.users.$userId";
import * as memberHome from "~/routes/me._index";

const NEW_PASSWORD = "a brand new passphrase";

async function makeSchool() {
  const region = await prisma.region.create({ data: { code: unique("R"), name: `Region ${unique()}` } });
  return prisma.school.create({ data: { code: unique("S").toUpperCase(), name: `School ${unique()}`, level: "HIGH", regionId: region.id } });
}

function email() {
  return `${unique("u")}@school.test`;
}

const create = (form: Record<string, string>): Endpoint => ({ name: "create user", path: "/admin/users/new", fn: newUser.action, method: "POST", form });

function edit(userId: string, form?: Record<string, string>): Endpoint {
  return {
    name: form ? `post ${form.intent ?? "no intent"}` : "edit user page", path: `/admin/users/${userId}`, params: { userId },
    fn: form ? editUser.action : editUser.loader, method: form ? "POST" : "GET", form,
  };
}

/** Calls the member home page with a cookie: 200 while it works, a redirect to sign in once revoked. */
function memberHomeWith(cookie: string) {
  return call(() => memberHome.loader({ request: makeRequest("/me", { cookie }), params: {}, context: {} }));
}

const UserList = z.object({
  users: z.array(z.object({ id: z.string(), email: z.string(), role: z.string() })),
  total: z.number(),
  page: z.number(),
  role: z.string(),
  q: z.string(),
});

let admin: Awaited<ReturnType<typeof signIn>>;
beforeAll(async () => {
  admin = await signIn("ADMIN");
});

describe("access to the user screens", () => {
  it("refuses every non-admin role with 403 and sends signed-out visitors to sign in", async () => {
    const { user: target } = await signIn("MEMBER");
    const newEmail = email();
    await expectAdminOnly([
      { name: "user list", path: "/admin/users", fn: userList.loader },
      { name: "new user page", path: "/admin/users/new", fn: newUser.loader },
      create({ email: newEmail, name: "Should not exist", role: "ADMIN", password: NEW_PASSWORD }),
      edit(target.id),
      edit(target.id, { intent: "save", name: "Renamed", role: "ADMIN", schoolCodes: "", active: "on" }),
      edit(target.id, { intent: "reset-password", password: NEW_PASSWORD }),
    ]);
    expect(await prisma.user.count({ where: { email: newEmail } })).toBe(0);
    const after = await prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(after).toEqual(target);
    expect(await prisma.auditEvent.count({ where: { entityType: "User", entityId: target.id } })).toBe(0);
  });
});

describe("user list", () => {
  const list = (query: string) => hit({ name: "user list", path: `/admin/users${query}`, fn: userList.loader }, admin.cookie);

  it("finds users by name or email and filters by role", async () => {
    const tag = unique("find");
    const school = await makeSchool();
    const { user: coordinator } = await signIn("COORDINATOR", { schoolIds: [school.id] });
    await prisma.user.update({ where: { id: coordinator.id }, data: { name: `Coordinator ${tag}` } });
    const { user: trainer } = await signIn("TRAINER");
    await prisma.user.update({ where: { id: trainer.id }, data: { name: `Trainer ${tag}` } });

    const all = UserList.parse((await list(`?q=${tag}`)).data);
    expect(all.users.map((u) => u.id).sort()).toEqual([coordinator.id, trainer.id].sort());
    const coordinators = UserList.parse((await list(`?q=${tag}&role=COORDINATOR`)).data);
    expect(coordinators.users.map((u) => u.id)).toEqual([coordinator.id]);
    const byEmail = UserList.parse((await list(`?q=${encodeURIComponent(trainer.email.toUpperCase())}`)).data);
    expect(byEmail.users.map((u) => u.id)).toEqual([trainer.id]);
  });

  it.each(["?role=bogus", "?page=-1", "?page=abc", "?page=1e9", "?role=&page=0", "?q=%25%25%25"])("does not crash on odd query %s", async (query) => {
    const res = await list(query);
    expect(res.status).toBe(200);
    const shown = UserList.parse(res.data);
    expect(shown.page).toBe(1);
    expect(shown.role).toBe("");
  });

  it("shows an empty page, not an error, past the last page", async () => {
    const res = await list("?page=99999");
    expect(res.status).toBe(200);
    expect(UserList.parse(res.data).users).toEqual([]);
  });
});

describe("creating a user", () => {
  it("creates a member with a lower-case email and the initial password, and audits it", async () => {
    const address = email();
    const res = await hit(create({ email: address.toUpperCase(), name: "  New Teacher ", role: "MEMBER", password: NEW_PASSWORD, schoolCodes: "" }), admin.cookie);
    expect(res.status).toBe(302);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: address } });
    expect(res.headers.get("Location")).toBe(`/admin/users/${user.id}?created=1`);
    expect(user).toMatchObject({ name: "New Teacher", role: "MEMBER", active: true, personId: null });
    expect((await verifySignIn(address, NEW_PASSWORD))?.id).toBe(user.id);
    expect(await prisma.auditEvent.count({ where: { entityType: "User", entityId: user.id, action: "user.create", actorId: admin.user.id } })).toBe(1);
  });

  it("creates a coordinator with their schools and links a person by district ID", async () => {
    const [a, b] = [await makeSchool(), await makeSchool()];
    const person = await prisma.person.create({ data: { districtId: unique("E"), firstName: "Cora", lastName: "Ordinator", kind: "STAFF" } });
    const address = email();
    const res = await hit(
      create({ email: address, name: "Cora", role: "COORDINATOR", password: NEW_PASSWORD, schoolCodes: ` ${a.code}, ${b.code},${a.code}`, districtId: person.districtId ?? "" }),
      admin.cookie,
    );
    expect(res.status).toBe(302);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: address }, include: { schools: true } });
    expect(user.personId).toBe(person.id);
    expect(user.schools.map((s) => s.schoolId).sort()).toEqual([a.id, b.id].sort());
  });

  it("refuses a duplicate email (in any case) on the email field and writes nothing", async () => {
    const { user: existing } = await signIn("TRAINER");
    const usersBefore = await prisma.user.count();
    const res = await hit(create({ email: existing.email.toUpperCase(), name: "Impostor", role: "ADMIN", password: NEW_PASSWORD }), admin.cookie);
    expect(res.status).toBe(400);
    expect(errorsOf(res.data).email).toBe("A user with this email already exists");
    // The form comes back as typed, without the password.
    expect(valuesOf(res.data)).toMatchObject({ name: "Impostor", role: "ADMIN" });
    expect(valuesOf(res.data).password).toBeUndefined();
    expect(await prisma.user.count()).toBe(usersBefore);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: existing.id } })).toEqual(existing);
  });

  it("refuses a coordinator without schools, on the school codes field", async () => {
    const address = email();
    const res = await hit(create({ email: address, name: "No Schools", role: "COORDINATOR", password: NEW_PASSWORD, schoolCodes: " , " }), admin.cookie);
    expect(res.status).toBe(400);
    expect(errorsOf(res.data).schoolCodes).toMatch(/required for a school coordinator/);
    expect(await prisma.user.count({ where: { email: address } })).toBe(0);
  });

  it("refuses an unknown school code, naming it, and writes nothing", async () => {
    const school = await makeSchool();
    const address = email();
    const missing = unique("NOPE");
    const res = await hit(
      create({ email: address, name: "Typo", role: "COORDINATOR", password: NEW_PASSWORD, schoolCodes: `${school.code}, ${missing}` }),
      admin.cookie,
    );
    expect(res.status).toBe(400);
    expect(errorsOf(res.data).schoolCodes).toBe(`Unknown school code: ${missing}`);
    expect(await prisma.user.count({ where: { email: address } })).toBe(0);
    expect(await prisma.coordinatorSchool.count({ where: { schoolId: school.id } })).toBe(0);
  });

  const invalid: Array<{ field: string; form: Record<string, string>; message: RegExp }> = [
    { field: "password", form: { password: "too short" }, message: /at least 12 characters/ },
    { field: "email", form: { email: "not-an-email" }, message: /Enter an email address/ },
    { field: "role", form: { role: "SUPERUSER" }, message: /Choose a role/ },
    { field: "name", form: { name: "" }, message: /Name is required/ },
    { field: "districtId", form: { districtId: "no-such-employee" }, message: /No person has district ID no-such-employee/ },
  ];
  it.each(invalid)("refuses a bad $field with 400 on that field", async ({ field, form, message }) => {
    const address = email();
    const res = await hit(create({ email: address, name: "Someone", role: "MEMBER", password: NEW_PASSWORD, ...form }), admin.cookie);
    expect(res.status).toBe(400);
    expect(errorsOf(res.data)[field]).toMatch(message);
    expect(await prisma.user.count({ where: { email: address } })).toBe(0);
  });
});

describe("editing a user", () => {
  it("returns 404 for an unknown user, from the loader and the action", async () => {
    expect((await hit(edit("no-such-user"), admin.cookie)).status).toBe(404);
    expect((await hit(edit("no-such-user", { intent: "save", name: "X", role: "MEMBER", active: "on" }), admin.cookie)).status).toBe(404);
  });

  it("shows how many browsers the user is signed in on", async () => {
    const { user } = await signIn("TRAINER");
    await prisma.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
    // An expired session is not a browser where they are signed in.
    await prisma.authSession.create({ data: { userId: user.id, expiresAt: new Date(Date.now() - 1000) } });
    const res = await hit(edit(user.id), admin.cookie);
    expect(res.status).toBe(200);
    expect(z.object({ activeSignIns: z.number(), isSelf: z.boolean() }).parse(res.data)).toEqual({ activeSignIns: 2, isSelf: false });
  });

  it("deactivating a user deletes their sign-in sessions, so their cookie stops working", async () => {
    const { user, cookie } = await signIn("MEMBER");
    expect((await memberHomeWith(cookie)).status).toBe(200);
    const res = await hit(edit(user.id, { intent: "save", name: user.name, role: "MEMBER", schoolCodes: "" }), admin.cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/users/${user.id}?saved=1`);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ active: false });
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(0);
    const after = await memberHomeWith(cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toMatch(/^\/login/);
    // And they cannot sign in again.
    expect(await verifySignIn(user.email, "correct horse battery staple")).toBeNull();
  });

  it("changing a user's role signs them out; renaming does not", async () => {
    const school = await makeSchool();
    const { user, cookie } = await signIn("MEMBER");
    const rename = await hit(edit(user.id, { intent: "save", name: "Renamed Member", role: "MEMBER", schoolCodes: "", active: "on" }), admin.cookie);
    expect(rename.status).toBe(302);
    expect((await memberHomeWith(cookie)).status).toBe(200);

    const promote = await hit(edit(user.id, { intent: "save", name: "Renamed Member", role: "COORDINATOR", schoolCodes: school.code, active: "on" }), admin.cookie);
    expect(promote.status).toBe(302);
    const saved = await prisma.user.findUniqueOrThrow({ where: { id: user.id }, include: { schools: true } });
    expect(saved).toMatchObject({ name: "Renamed Member", role: "COORDINATOR", active: true });
    expect(saved.schools.map((s) => s.schoolId)).toEqual([school.id]);
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(0);
    expect((await memberHomeWith(cookie)).status).toBe(302);
  });

  it("refuses to make someone a coordinator without schools, and changes nothing", async () => {
    const { user } = await signIn("MEMBER");
    const res = await hit(edit(user.id, { intent: "save", name: "Changed", role: "COORDINATOR", schoolCodes: "", active: "on" }), admin.cookie);
    expect(res.status).toBe(400);
    expect(errorsOf(res.data).schoolCodes).toMatch(/school coordinator/);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(user);
  });

  it("an admin cannot deactivate or demote themselves", async () => {
    const me = await signIn("ADMIN");
    const deactivate = await hit(edit(me.user.id, { intent: "save", name: me.user.name, role: "ADMIN", schoolCodes: "" }), me.cookie);
    expect(deactivate.status).toBe(400);
    expect(errorsOf(deactivate.data).active).toBe("You cannot deactivate your own account");
    const demote = await hit(edit(me.user.id, { intent: "save", name: me.user.name, role: "MEMBER", schoolCodes: "", active: "on" }), me.cookie);
    expect(demote.status).toBe(400);
    expect(errorsOf(demote.data).role).toBe("You cannot remove your own administrator access");
    expect(await prisma.user.findUniqueOrThrow({ where: { id: me.user.id } })).toEqual(me.user);
    // Still signed in and still an administrator.
    expect((await hit(edit(me.user.id), me.cookie)).status).toBe(200);
  });

  it("another admin can deactivate an admin", async () => {
    const other = await signIn("ADMIN");
    const res = await hit(edit(other.user.id, { intent: "save", name: other.user.name, role: "ADMIN", schoolCodes: "" }), admin.cookie);
    expect(res.status).toBe(302);
    expect((await hit(edit(admin.user.id), other.cookie)).status).toBe(302);
  });

  it("resets a password: refuses a short one, then sets it and signs the user out", async () => {
    const { user, cookie } = await signIn("TRAINER");
    const short = await hit(edit(user.id, { intent: "reset-password", password: "short" }), admin.cookie);
    expect(short.status).toBe(400);
    expect(errorsOf(short.data).password).toMatch(/at least 12 characters/);
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(1);

    const res = await hit(edit(user.id, { intent: "reset-password", password: NEW_PASSWORD }), admin.cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/admin/users/${user.id}?reset=1`);
    expect(await prisma.authSession.count({ where: { userId: user.id } })).toBe(0);
    // Their old cookie now reads as signed out (a trainer still signed in would get 403 here).
    expect((await memberHomeWith(cookie)).status).toBe(302);
    expect((await verifySignIn(user.email, NEW_PASSWORD))?.id).toBe(user.id);
    expect(await verifySignIn(user.email, "correct horse battery staple")).toBeNull();
    expect(await prisma.auditEvent.count({ where: { entityType: "User", entityId: user.id, action: "user.password-reset" } })).toBe(1);
  });

  it("refuses a post without a known intent", async () => {
    const { user } = await signIn("MEMBER");
    const res = await hit(edit(user.id, { intent: "delete", name: "X", role: "ADMIN", active: "on" }), admin.cookie);
    expect(res.status).toBe(400);
    expect(errorsOf(res.data).form).toMatch(/Save changes/);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(user);
  });
});
