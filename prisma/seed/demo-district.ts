/**
 * The demo district: a realistic, deterministic data set for demos, manual testing and the
 * browser tests. Every run makes the same schools, people and sessions (a seeded PRNG, never
 * Math.random); only dates move, because they are placed relative to `today` so that there is
 * always something expiring soon, something awaiting close and something coming up.
 *
 * Verification codes are the exception to determinism: they are the secret of the public
 * certificate check, so they come from crypto.randomBytes like any real certificate's.
 */
import { randomUUID } from "node:crypto";
import { seedDemoInstructors } from "./demo-instructors";
import type {
  AttendanceStatus,
  Prisma,
  PrismaClient,
  Role,
  SchoolLevel,
  SessionAudience,
  SessionFormat,
  SessionStatus,
} from "~/generated/prisma/client";
import {
  addDays,
  addMonths,
  evaluateCompletion,
  expiresOn,
  isCurrentOn,
  renewalWindowOpens,
  renewsPrevious,
  startOfDayUtc,
} from "~/domain/program-rules";
import { schoolYearOf } from "~/domain/school-year";
import { dateInZone, wallTimeToUtc } from "~/domain/time";
import { insertRows } from "./bulk-insert";
import { createRegion, createSchool, createUser, newVerificationCode, type UserOptions } from "./factories";
import { programDefinition, upsertPrograms, type ProgramCode } from "./programs";
import { mulberry32 } from "./random";

export const DEMO_PASSWORD = "demo-password-2026";

export const DEMO_LOGINS: ReadonlyArray<{ role: Role; email: string }> = [
  { role: "ADMIN", email: "admin@demo.k12.example" },
  { role: "PROGRAM_LEAD", email: "lead@demo.k12.example" },
  { role: "TRAINER", email: "trainer@demo.k12.example" },
  { role: "COORDINATOR", email: "coordinator@demo.k12.example" },
  { role: "MEMBER", email: "member@demo.k12.example" },
];

export type SeedOptions = {
  /** Dates are placed relative to this day. */
  today?: Date;
  log?: (message: string) => void;
  /** Session times are wall-clock times in the district's zone. */
  timeZone?: string;
};

export type SeedSummary = {
  regions: number;
  schools: number;
  staff: number;
  students: number;
  community: number;
  affiliations: number;
  headcounts: number;
  users: number;
  sessions: number;
  enrollments: number;
  attendance: number;
  certifications: number;
  goals: number;
};

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** FNV-1a, to turn a stream's name into its seed. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * One named stream per part of the district, so that the people do not change when, say, the
 * number of sessions this year changes with `today`.
 */
class Random {
  private readonly next: () => number;
  constructor(stream: string) {
    this.next = mulberry32(hashString(`lakeside-demo-district:${stream}`));
  }
  float(): number {
    return this.next();
  }
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return items[items.length - 1][0];
  }
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }
}

// ---------------------------------------------------------------------------------------------
// The district's fixed shape

const DISTRICT_DOMAIN = "lakeside.k12.example";
const STUDENT_DOMAIN = `students.${DISTRICT_DOMAIN}`;
const DISTRICT_SITE = "Lakeside USD Wellness Center";
/** Enrolments are stamped late morning US time; the exact hour does not matter, so no zone conversion. */
const ENROLMENT_HOUR_UTC = 18 * 60 * 60 * 1000;

const REGIONS = [
  { code: "CENTRAL", name: "Central" },
  { code: "NORTH", name: "North" },
  { code: "SOUTH", name: "South" },
  { code: "EAST", name: "East" },
  { code: "WEST", name: "West" },
] as const;

const SCHOOL_STEMS: Record<Exclude<SchoolLevel, "OTHER">, { suffix: string; stems: string[] }> = {
  HIGH: {
    suffix: "High School",
    stems: ["Roosevelt", "Lakeside", "Garfield", "Marshall", "Washington Preparatory", "Eagle Rock", "Harbor View", "Sunset Ridge", "Kennedy", "Bravo Medical Magnet"],
  },
  MIDDLE: {
    suffix: "Middle School",
    stems: ["Sally Ride", "Cesar Chavez", "Hollenbeck", "Mark Twain", "Paul Revere", "Thomas Starr King", "Harriet Tubman", "Robert Frost", "Sequoia", "Olympic Heights", "Los Cerritos", "Mariposa"],
  },
  ELEMENTARY: {
    suffix: "Elementary School",
    stems: [
      "Alder Street", "Bellevue Avenue", "Canyon View", "Dolores Huerta", "Eastman Avenue", "Fair Oaks", "Garvanza", "Hillcrest Drive",
      "Ivanhoe", "Jefferson", "Kester Avenue", "Lorena Street", "Maple Grove", "Nevin Avenue", "Oak Park", "Pacific Palms", "Queen Anne",
      "Rosewood", "Sierra Vista", "Toluca Lake", "Union Avenue", "Valley View", "Westminster", "Yorkdale", "Arroyo Seco", "Baldwin Hills",
      "Cienega", "Dayton Heights", "Evergreen", "Fletcher Drive",
    ],
  },
  K12: { suffix: "Span School (K-12)", stems: ["Mosaic Academy", "Vista del Mar", "Pathways", "Riverbend"] },
  CENTER: { suffix: "Center", stems: ["Harbor Community Day", "Eastside Opportunity", "Northridge Continuation", "Westlake Re-Entry"] },
};

/** Staff per school, by level (a range; each school draws its size once). */
const STAFF_SIZE: Record<SchoolLevel, readonly [number, number]> = {
  ELEMENTARY: [24, 32],
  MIDDLE: [40, 52],
  HIGH: [70, 86],
  K12: [40, 50],
  CENTER: [10, 16],
  OTHER: [10, 16],
};

/** Students per grade cohort in the whole district; 15 cohorts cover grades K-12 over three years. */
const STUDENTS_PER_COHORT = 1_500;

const FIRST_NAMES = [
  "Maria", "Jose", "Sofia", "Daniel", "Camila", "David", "Isabella", "Luis", "Valentina", "Carlos", "Emily", "Michael", "Olivia",
  "James", "Ava", "Anthony", "Mia", "Christopher", "Emma", "Joshua", "Abigail", "Andrew", "Madison", "Kevin", "Chloe", "Brian",
  "Grace", "Jason", "Hannah", "Eric", "Natalie", "Jonathan", "Samantha", "Matthew", "Ashley", "Alejandro", "Ximena", "Diego",
  "Lucia", "Mateo", "Jasmine", "Miguel", "Gabriela", "Juan", "Daniela", "Angel", "Andrea", "Adrian", "Vanessa", "Jesus", "Leslie",
  "Ethan", "Aaliyah", "Jayden", "Imani", "Malik", "Destiny", "Darnell", "Keisha", "Andre", "Tiana", "Marcus", "Jada", "Terrell",
  "Wei", "Mei", "Jin", "Hana", "Min-jun", "Seo-yeon", "Hiroshi", "Yuki", "Anh", "Linh", "Minh", "Thao", "Arjun", "Priya", "Rahul",
  "Ananya", "Vikram", "Neha", "Aram", "Ani", "Narek", "Lilit", "Tigran", "Nare", "Omar", "Layla", "Yusuf", "Amira", "Tomas",
  "Elena", "Rafael", "Paloma", "Noah", "Liam", "Zoe", "Ruby", "Owen", "Ellie", "Caleb", "Nora", "Isaac", "Leah", "Samuel",
  "Rosa", "Ernesto", "Guadalupe", "Ricardo", "Teresa", "Fernando", "Patricia", "Roberto", "Carmen", "Eduardo", "Lorena",
];

const LAST_NAMES = [
  "Garcia", "Hernandez", "Lopez", "Martinez", "Gonzalez", "Rodriguez", "Perez", "Sanchez", "Ramirez", "Flores", "Torres", "Rivera",
  "Gomez", "Diaz", "Cruz", "Morales", "Reyes", "Gutierrez", "Ortiz", "Castillo", "Jimenez", "Vasquez", "Romero", "Alvarez", "Mendoza",
  "Ruiz", "Chavez", "Herrera", "Medina", "Aguilar", "Vargas", "Castro", "Guzman", "Munoz", "Salazar", "Delgado", "Navarro", "Rios",
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson",
  "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
  "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Carter", "Roberts", "Washington", "Jefferson", "Brooks",
  "Coleman", "Bryant", "Kim", "Park", "Choi", "Nguyen", "Tran", "Pham", "Le", "Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Wong",
  "Tanaka", "Yamamoto", "Sato", "Patel", "Shah", "Singh", "Kumar", "Gupta", "Sarkisian", "Petrosyan", "Hakobyan", "Grigoryan",
  "Khan", "Hassan", "Ali", "Cohen", "Levy", "Murphy", "Sullivan", "O'Brien", "Kelly", "Santos", "Silva", "Oliveira", "Reyes-Ortiz",
];

const ITINERANT_TITLES = ["School Counselor", "School Psychologist", "Psychiatric Social Worker", "School Nurse", "Speech-Language Pathologist"];
const SECONDARY_SUBJECTS = ["English", "Mathematics", "Science", "History", "Spanish", "Physical Education", "Art", "Music", "Special Education"];

const COMMUNITY_ORGS = [
  { name: "County Department of Mental Health", domain: "dmh.county.example" },
  { name: "County Office of Education", domain: "coe.county.example" },
  { name: "Healthy Schools Alliance", domain: "healthyschools.example" },
  { name: "Lakeside Family Resource Center", domain: "lakesidefrc.example" },
  { name: "Boys & Girls Club of Lakeside", domain: "bgclakeside.example" },
  { name: "Parent Teacher Association", domain: "lakesidepta.example" },
  { name: "Eastside Youth Ministry", domain: "eastsideyouth.example" },
];
const PERSONAL_DOMAIN = "mail.example";
const COMMUNITY_SITES = ["Eastside Community Library", "County DMH Wellness Hub", "Lakeside Family Resource Center", "Northside Recreation Center"];

const TRAINERS = [
  { email: "trainer@demo.k12.example", name: "Terry Trainer", org: "Lakeside USD Wellness Office" },
  { email: "trainer2@demo.k12.example", name: "Dana Ortiz", org: "County Department of Mental Health" },
  { email: "trainer3@demo.k12.example", name: "Sam Whitfield", org: "County Department of Mental Health" },
  { email: "trainer4@demo.k12.example", name: "Priya Raman", org: "Healthy Schools Alliance" },
  { email: "trainer5@demo.k12.example", name: "Jordan Blake", org: "Lakeside USD Wellness Office" },
  { email: "trainer6@demo.k12.example", name: "Kim Nguyen", org: "County Office of Education" },
] as const;
const TERRY = 0;

// ---------------------------------------------------------------------------------------------
// Calendar helpers: calendar dates are "YYYY-MM-DD" strings or Dates at 00:00 UTC.

function isoDate(day: Date): string {
  return day.toISOString().slice(0, 10);
}

function dateOf(iso: string): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}

/** The same day, or the Friday before when it falls on a weekend. */
function weekdayOnOrBefore(day: Date): Date {
  const dow = day.getUTCDay();
  return dow === 6 ? addDays(day, -1) : dow === 0 ? addDays(day, -2) : day;
}

/** The same day, or the Monday after when it falls on a weekend. */
function weekdayOnOrAfter(day: Date): Date {
  const dow = day.getUTCDay();
  return dow === 6 ? addDays(day, 2) : dow === 0 ? addDays(day, 1) : day;
}

function minDate(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

function gradeLabel(grade: number): string {
  return grade === 0 ? "Kindergarten" : `Grade ${grade}`;
}

function emailLocal(first: string, last: string): string {
  return `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "");
}

// ---------------------------------------------------------------------------------------------
// The plan: every row is built in memory with its own id, then written in bulk (writeDistrict).

/** Calendar dates of the demo, all relative to the district's today. */
type Calendar = {
  today: Date;
  currentYear: number;
  /** The three tracked school years, oldest first. */
  years: number[];
  /** Index into `years` of the school year a day falls in, clamped to the tracked years. */
  yearIndex: (day: Date) => number;
  /** The instant of a wall-clock time on a calendar day in the district's zone. */
  at: (day: Date, time: string) => Date;
};

function makeCalendar(today: Date, timeZone: string): Calendar {
  const day0 = dateOf(dateInZone(today, timeZone));
  const currentYear = schoolYearOf(day0);
  const years = [currentYear - 2, currentYear - 1, currentYear];
  // Zone conversion goes through Intl and is slow; the seed asks for the same instants many times.
  const instants = new Map<string, Date>();
  const at = (day: Date, time: string): Date => {
    const wall = `${isoDate(day)} ${time}`;
    let instant = instants.get(wall);
    if (!instant) {
      instant = wallTimeToUtc(isoDate(day), time, timeZone);
      instants.set(wall, instant);
    }
    return instant;
  };
  return { today: day0, currentYear, years, yearIndex: (day) => Math.min(2, Math.max(0, schoolYearOf(day) - years[0])), at };
}

type SchoolPlan = { id: string; code: string; name: string; level: SchoolLevel; region: number };

type District = {
  regions: Array<{ id: string; code: string; name: string }>;
  schools: SchoolPlan[];
  /** Indexes of the schools of a region at the given levels. */
  inRegion: (region: number, levels: readonly SchoolLevel[]) => number[];
  /** Indexes of the schools at the given levels, district-wide. */
  atLevels: (levels: readonly SchoolLevel[]) => number[];
};

/** The coordinator's two schools come first: a high school (S001) and its feeder middle school (S002). */
const S001 = 0;
const S002 = 1;

function planDistrict(): District {
  const regions = REGIONS.map((r) => ({ ...r, id: randomUUID() }));
  const byLevel = (level: Exclude<SchoolLevel, "OTHER">, regionShift: number) =>
    SCHOOL_STEMS[level].stems.map((stem, i) => ({ name: `${stem} ${SCHOOL_STEMS[level].suffix}`, level, region: (i + regionShift) % REGIONS.length }));
  const high = byLevel("HIGH", 0);
  const middle = byLevel("MIDDLE", 0);
  const ordered = [high[0], middle[0], ...byLevel("ELEMENTARY", 0), ...middle.slice(1), ...high.slice(1), ...byLevel("K12", 0), ...byLevel("CENTER", 1)];
  const schools: SchoolPlan[] = ordered.map((s, i) => ({ ...s, id: randomUUID(), code: `S${String(i + 1).padStart(3, "0")}` }));
  const lists = new Map<string, number[]>();
  const select = (region: number | null, levels: readonly SchoolLevel[]): number[] => {
    const listKey = `${region}:${levels.join(",")}`;
    let list = lists.get(listKey);
    if (!list) {
      list = schools.flatMap((s, i) => ((region == null || s.region === region) && levels.includes(s.level) ? [i] : []));
      lists.set(listKey, list);
    }
    return list;
  };
  return { regions, schools, inRegion: select, atLevels: (levels) => select(null, levels) };
}

type PersonRow = Prisma.PersonCreateManyInput & { id: string };

type Population = {
  people: PersonRow[];
  affiliations: Prisma.AffiliationCreateManyInput[];
  /** staffAt[year index][school]: the staff working there that year (itinerants at both of their schools). */
  staffAt: number[][][];
  /** studentsAt[year index][school]: [person, grade] pairs. */
  studentsAt: Array<Array<Array<readonly [number, number]>>>;
  community: number[];
  /** The demo member: a teacher at S001 in every tracked year. */
  member: number;
  staffCount: number;
  studentCount: number;
};

const ALL_LEVELS: readonly SchoolLevel[] = ["ELEMENTARY", "MIDDLE", "HIGH", "K12", "CENTER"];

function planPopulation(calendar: Calendar, district: District): Population {
  const { years } = calendar;
  const { schools } = district;
  const people: PersonRow[] = [];
  const affiliations: Prisma.AffiliationCreateManyInput[] = [];
  const createdAt = calendar.at(addDays(calendar.today, -400), "09:00");
  const usedEmails = new Set<string>();
  const uniqueEmail = (local: string, domain: string) => {
    let candidate = `${local}@${domain}`;
    for (let n = 2; usedEmails.has(candidate); n++) candidate = `${local}${n}@${domain}`;
    usedEmails.add(candidate);
    return candidate;
  };
  const addPerson = (row: Omit<Prisma.PersonCreateManyInput, "id" | "createdAt" | "updatedAt">) => {
    people.push({ ...row, id: randomUUID(), createdAt, updatedAt: createdAt });
    return people.length - 1;
  };
  const affiliate = (person: number, school: number, yearIndex: number, title: string) => {
    affiliations.push({ id: randomUUID(), personId: people[person].id, schoolId: schools[school].id, schoolYear: years[yearIndex], title });
  };

  // Staff: three school years of rosters with turnover, transfers and itinerant specialists.
  const random = new Random("staff");
  let employeeNumber = 100000;
  type Staffer = { person: number; home: number; second: number | null; title: string; pinned: boolean };
  const staffTitle = (level: SchoolLevel): string => {
    const teacher = level === "ELEMENTARY" ? `Teacher (${gradeLabel(random.int(0, 5))})` : `Teacher (${random.pick(SECONDARY_SUBJECTS)})`;
    return random.weighted<string>([
      [teacher, 66], ["Special Education Teacher", 7], ["Instructional Aide", 8], ["Office Staff", 5], ["Campus Aide", 4],
      ["Custodian", 3], ["Food Services", 3], ["Assistant Principal", 2], ["Librarian", 1], ["School Counselor", level === "ELEMENTARY" ? 0 : 1],
    ]);
  };
  const hire = (home: number, title?: string, pinned = false, name?: { first: string; last: string; email: string }): Staffer => {
    const first = name?.first ?? random.pick(FIRST_NAMES);
    const last = name?.last ?? random.pick(LAST_NAMES);
    employeeNumber += 1;
    const person = addPerson({
      districtId: `E${employeeNumber}`, firstName: first, lastName: last, kind: "STAFF",
      email: name?.email ?? uniqueEmail(emailLocal(first, last), DISTRICT_DOMAIN),
    });
    // About 5% are itinerant specialists who also serve a second school in the same region.
    if (!title && random.chance(0.05)) {
      const others = district.inRegion(schools[home].region, ALL_LEVELS).filter((s) => s !== home);
      return { person, home, second: random.pick(others), title: random.pick(ITINERANT_TITLES), pinned };
    }
    return { person, home, second: null, title: title ?? staffTitle(schools[home].level), pinned };
  };
  const member = hire(S001, "Teacher (English)", true, { first: "Morgan", last: "Member", email: "member@demo.k12.example" });
  const baseSize = schools.map((s) => random.int(...STAFF_SIZE[s.level]));
  let active: Staffer[] = [member];
  schools.forEach((_, s) => {
    active.push(hire(s, "Principal"));
    const have = active.filter((st) => st.home === s).length;
    for (let i = have; i < baseSize[s]; i++) active.push(hire(s));
  });
  const staffAt: number[][][] = [];
  for (let k = 0; k < years.length; k++) {
    if (k > 0) {
      const next: Staffer[] = [];
      for (const st of active) {
        const roll = st.pinned ? 1 : random.float();
        if (roll < 0.07) continue; // left the district
        const transfers = roll < 0.09 ? district.inRegion(schools[st.home].region, [schools[st.home].level]).filter((s) => s !== st.home) : [];
        if (transfers.length > 0) {
          const home = random.pick(transfers);
          next.push({ ...st, home, second: st.second === home ? null : st.second });
        } else {
          next.push(st);
        }
      }
      const counts = schools.map(() => 0);
      for (const st of next) counts[st.home] += 1;
      schools.forEach((_, s) => {
        const target = baseSize[s] + random.int(-1, 2);
        for (let i = counts[s]; i < target; i++) next.push(hire(s));
      });
      active = next;
    }
    const roster: number[][] = schools.map(() => []);
    for (const st of active) {
      for (const school of st.second == null ? [st.home] : [st.home, st.second]) {
        roster[school].push(st.person);
        affiliate(st.person, school, k, st.title);
      }
    }
    staffAt.push(roster);
  }
  const staffCount = people.length;

  // Students: grade cohorts move from elementary to middle to high school within their region.
  const studentRandom = new Random("students");
  const studentsAt: Population["studentsAt"] = years.map(() => schools.map(() => []));
  const regionWeights = REGIONS.map((_, r) => [r, schools.filter((s) => s.region === r).length] as const);
  let studentNumber = 2000000;
  for (let cohort = 0; cohort <= 14; cohort++) {
    // `cohort` is the grade in the current school year; 13 and 14 graduated in the last two years.
    for (let n = 0; n < STUDENTS_PER_COHORT; n++) {
      const region = studentRandom.weighted(regionWeights);
      const spanSchools = district.inRegion(region, ["K12"]);
      const centers = district.inRegion(region, ["CENTER"]);
      const span = spanSchools.length > 0 && studentRandom.chance(0.07) ? studentRandom.pick(spanSchools) : null;
      const elementary = studentRandom.pick(district.inRegion(region, ["ELEMENTARY"]));
      const middle = studentRandom.pick(district.inRegion(region, ["MIDDLE"]));
      const high = centers.length > 0 && studentRandom.chance(0.05) ? studentRandom.pick(centers) : studentRandom.pick(district.inRegion(region, ["HIGH"]));
      const firstName = studentRandom.pick(FIRST_NAMES);
      const lastName = studentRandom.pick(LAST_NAMES);
      studentNumber += 1;
      const districtId = `S${studentNumber}`;
      // Most students have no email on file; some secondary students have a district address.
      const email = cohort >= 6 && studentRandom.chance(0.3) ? `${districtId.toLowerCase()}@${STUDENT_DOMAIN}` : null;
      const person = addPerson({ districtId, firstName, lastName, email, kind: "STUDENT" });
      for (let k = 0; k < years.length; k++) {
        const grade = cohort - (years.length - 1 - k);
        if (grade < 0 || grade > 12) continue;
        const school = span ?? (grade <= 5 ? elementary : grade <= 8 ? middle : high);
        studentsAt[k][school].push([person, grade]);
        affiliate(person, school, k, gradeLabel(grade));
      }
    }
  }
  const studentCount = people.length - staffCount;

  // Community partners: no district ID, always an email; some look like duplicates of each other.
  const communityRandom = new Random("community");
  const community: number[] = [];
  const addPartner = (firstName: string, lastName: string, email: string) => {
    community.push(addPerson({ districtId: null, firstName, lastName, email, kind: "COMMUNITY" }));
  };
  for (let n = 0; n < 285; n++) {
    const first = communityRandom.pick(FIRST_NAMES);
    const last = communityRandom.pick(LAST_NAMES);
    const org = communityRandom.pick(COMMUNITY_ORGS);
    const email = communityRandom.chance(0.3)
      ? uniqueEmail(`${emailLocal(first, last).replace(".", "")}${communityRandom.int(1, 99)}`, PERSONAL_DOMAIN)
      : uniqueEmail(emailLocal(first, last), org.domain);
    addPartner(first, last, email);
  }
  // Fifteen people entered twice, as happens with sign-in sheets: a human decides whether to merge.
  for (let n = 0; n < 15; n++) {
    const original = people[community[n * 17]];
    const email = original.email ?? "";
    const [local, domain] = email.split("@");
    const variant =
      n % 3 === 1 && domain !== PERSONAL_DOMAIN
        ? `${local.replace(".", "")}@${PERSONAL_DOMAIN}` // a personal address instead of the work one
        : n % 3 === 2
          ? email.toUpperCase()
          : `${local.charAt(0).toUpperCase()}${local.slice(1)}@${domain}`; // the same address, cased differently
    addPartner(original.firstName, original.lastName, variant);
  }

  return { people, affiliations, staffAt, studentsAt, community, member: member.person, staffCount, studentCount };
}

/** HR and enrollment files roughly agree with the rosters: a few vacancies and late enrolments more. */
function planHeadcounts(calendar: Calendar, district: District, population: Population): Prisma.HeadcountCreateManyInput[] {
  const random = new Random("headcounts");
  const updatedAt = calendar.at(addDays(calendar.today, -30), "09:00");
  return calendar.years.flatMap((schoolYear, k) =>
    district.schools.map((school, s) => {
      const students = population.studentsAt[k][s].length;
      return {
        id: randomUUID(), schoolId: school.id, schoolYear, updatedAt,
        staffCount: population.staffAt[k][s].length + random.int(0, 2),
        studentCount: students + random.int(0, Math.round(students * 0.01)),
      };
    }),
  );
}

type DemoUserIds = { admin: string; lead: string; trainers: string[] };

type PlannedSessionKind = "closed" | "awaiting-close" | "today" | "upcoming" | "cancelled";

/** Chooses up to `count` learners for a session at `school` (null: no school) on `day`. */
type LearnerChooser = (day: Date, count: number, school: number | null) => number[];

type PlannedSession = {
  order: number;
  id: string;
  program: ProgramCode;
  kind: PlannedSessionKind;
  title: string;
  format: SessionFormat;
  audience: SessionAudience;
  /** A school index, none, or a high school chosen when the session's turn comes (Teen MHFA readiness). */
  school: number | null | "ready-high-school";
  siteName: string | null;
  lead: number;
  coTrainers: number[];
  capacity: number;
  enrolledCount: number;
  dates: Date[];
  times: readonly [string, string];
  choose: LearnerChooser;
  /** People who must complete (the demo member's certificates). */
  mustComplete: ReadonlySet<number>;
  createdByLead: boolean;
};

type CertificationPlan = Omit<Prisma.CertificationCreateManyInput, "programId"> & {
  id: string;
  issuedOn: Date;
  expiresOn: Date | null;
  renewedById: string | null;
  program: ProgramCode;
};

type Training = {
  sessions: Array<Omit<Prisma.TrainingSessionCreateManyInput, "programId"> & { program: ProgramCode }>;
  days: Prisma.SessionDayCreateManyInput[];
  trainers: Prisma.SessionTrainerCreateManyInput[];
  enrollments: Prisma.EnrollmentCreateManyInput[];
  attendance: Prisma.AttendanceCreateManyInput[];
  certifications: CertificationPlan[];
};

/**
 * Sessions of the last four school years and the next weeks, with their learners, attendance,
 * post-work and certificates. Sessions are played out in date order, so that each one sees who
 * is certified by then: renewals, retakes and Teen MHFA readiness follow from the rules.
 */
function planTraining(calendar: Calendar, district: District, population: Population, users: DemoUserIds): Training {
  const { today, currentYear, years, at } = calendar;
  const { schools } = district;
  const { staffAt, studentsAt, community, member } = population;
  const random = new Random("sessions");
  const outcomes = new Random("outcomes");

  const latest = new Map<string, CertificationPlan>();
  const lastEnrolled = new Map<string, number>();
  const key = (person: number, program: ProgramCode) => `${person}:${program}`;

  /** Whether a person may take the course that day: no current certificate, or one inside its renewal window. */
  const mayTake = (person: number, program: ProgramCode, day: Date): boolean => {
    // The member's certificates tell a fixed story; random sessions leave the member alone.
    if (person === member) return false;
    const recent = lastEnrolled.get(key(person, program));
    if (recent != null && day.getTime() - recent < 60 * 86_400_000) return false;
    const cert = latest.get(key(person, program));
    if (!cert || cert.renewedById || !isCurrentOn(cert, day)) return true;
    const opens = renewalWindowOpens(cert.expiresOn, programDefinition(program));
    return opens != null && day.getTime() >= opens.getTime();
  };
  const dueForRenewal = (person: number, program: ProgramCode, day: Date): boolean => {
    const cert = latest.get(key(person, program));
    return cert != null && !cert.renewedById && isCurrentOn(cert, day) && mayTake(person, program, day);
  };
  /** Fills `count` seats: people due for renewal first (up to a share of the seats), then the pools in order. */
  const fill = (program: ProgramCode, day: Date, count: number, pools: number[][], renewalShare = 0.3): number[] => {
    const chosen = new Set<number>();
    const renewals = random.shuffle([...new Set(pools.flat())].filter((p) => dueForRenewal(p, program, day)));
    for (const p of renewals) {
      if (chosen.size >= Math.floor(count * renewalShare)) break;
      if (random.chance(0.7)) chosen.add(p);
    }
    for (const pool of pools) {
      for (const p of random.shuffle(pool)) {
        if (chosen.size >= count) break;
        if (!chosen.has(p) && mayTake(p, program, day)) chosen.add(p);
      }
    }
    return [...chosen];
  };
  const staffOfSchool = (day: Date, school: number) => staffAt[calendar.yearIndex(day)][school];
  const staffOfRegion = (day: Date, region: number) => district.inRegion(region, ALL_LEVELS).flatMap((s) => staffOfSchool(day, s));
  const studentsOf = (day: Date, school: number, grades: readonly number[]) =>
    studentsAt[calendar.yearIndex(day)][school].filter(([, g]) => grades.includes(g)).map(([p]) => p);

  const staffChooser = (program: ProgramCode, school: number, renewalShare = 0.3): LearnerChooser => (day, count) =>
    fill(program, day, count, [random.shuffle(staffOfSchool(day, school)).slice(0, Math.ceil(count * 0.8)), staffOfRegion(day, schools[school].region)], renewalShare);
  const mixedChooser = (program: ProgramCode, communityShare: number): LearnerChooser => (day, count) =>
    fill(program, day, count, [random.shuffle(community).slice(0, Math.ceil(count * communityShare)), staffAt[calendar.yearIndex(day)].flat(), community]);
  const communityChooser = (program: ProgramCode): LearnerChooser => (day, count) => fill(program, day, count, [community]);
  const studentChooser = (program: ProgramCode, school: number, grades: readonly number[]): LearnerChooser => (day, count) =>
    fill(program, day, count, [studentsOf(day, school, grades)]);
  const withMember = (choose: LearnerChooser): LearnerChooser => (day, count, school) => [member, ...choose(day, count - 1, school)];

  const highSchools = district.atLevels(["HIGH"]);
  /** A high school runs Teen MHFA only once about 10% of its staff hold a current YMHFA certificate. */
  const readyHighSchool = (day: Date): number | null => {
    const ready = highSchools.filter((s) => {
      const staff = staffOfSchool(day, s);
      const certified = staff.filter((p) => {
        const cert = latest.get(key(p, "YMHFA"));
        return cert != null && isCurrentOn(cert, day);
      }).length;
      return staff.length > 0 && certified / staff.length >= 0.1;
    });
    return ready.length > 0 ? random.pick(ready) : null;
  };

  const planned: PlannedSession[] = [];
  const plan = (s: Omit<PlannedSession, "order" | "id" | "mustComplete" | "createdByLead"> & { mustComplete?: ReadonlySet<number> }) => {
    planned.push({ ...s, order: planned.length, id: randomUUID(), mustComplete: s.mustComplete ?? new Set(), createdByLead: random.chance(0.75) });
  };
  const pickLead = () => (random.chance(0.3) ? TERRY : random.int(1, TRAINERS.length - 1));
  const pickCo = (lead: number, probability: number) =>
    random.chance(probability) ? [random.pick(TRAINERS.map((_, i) => i).filter((i) => i !== lead))] : [];
  const gradesOf = (level: SchoolLevel): number[] =>
    level === "MIDDLE" ? [6, 7, 8] : level === "HIGH" || level === "CENTER" ? [9, 10, 11, 12] : [6, 7, 8, 9, 10, 11, 12];
  const online = "Online (video call)";

  // Past sessions: from the school year before the three tracked ones (so that certificates are
  // now expiring, expired and renewed) up to three weeks ago (all closed by now).
  const lastClosedDay = addDays(today, -21);
  for (let y = currentYear - 3; y <= currentYear; y++) {
    const windowStart = dateOf(`${y}-08-12`);
    const windowEnd = minDate(dateOf(`${y + 1}-06-10`), lastClosedDay);
    if (windowEnd.getTime() <= windowStart.getTime()) continue;
    const spanDays = Math.round((windowEnd.getTime() - windowStart.getTime()) / 86_400_000);
    // A school year still under way gets its share of the year's sessions so far.
    const count = (perYear: number) => Math.round((perYear * spanDays) / 302);
    const randomDay = (keepFree = 0) => weekdayOnOrBefore(addDays(windowStart, random.int(2, Math.max(2, spanDays - keepFree))));

    for (let n = 0; n < count(8); n++) {
      const day = randomDay();
      const blended = random.chance(0.4);
      const school = random.chance(0.8)
        ? random.weighted<number>([
            [random.pick(highSchools), 45],
            [random.pick(district.atLevels(["MIDDLE"])), 25],
            [random.pick(district.atLevels(["ELEMENTARY", "K12", "CENTER"])), 30],
          ])
        : null;
      const lead = pickLead();
      plan({
        program: "YMHFA", kind: "closed",
        title: school == null ? "Youth Mental Health First Aid: district staff" : `Youth Mental Health First Aid: ${schools[school].name} staff`,
        format: blended ? "BLENDED" : "IN_PERSON", audience: school == null ? "MIXED" : "STAFF",
        school, siteName: school == null ? DISTRICT_SITE : null, lead, coTrainers: pickCo(lead, 0.6), capacity: 30,
        enrolledCount: random.int(16, 28), dates: [day], times: blended ? ["09:00", "13:30"] : ["08:00", "15:30"],
        choose: school == null ? mixedChooser("YMHFA", 0.15) : staffChooser("YMHFA", school),
      });
    }
    for (let n = 0; n < count(4); n++) {
      const lead = pickLead();
      plan({
        program: "MHFA", kind: "closed", title: "Adult Mental Health First Aid for staff, families and partners",
        format: "IN_PERSON", audience: "MIXED", school: null, siteName: random.pick(COMMUNITY_SITES),
        lead, coTrainers: pickCo(lead, 0.5), capacity: 30, enrolledCount: random.int(12, 24), dates: [randomDay()],
        times: ["09:00", "16:30"], choose: mixedChooser("MHFA", 0.7),
      });
    }
    for (let n = 0; n < count(14); n++) {
      const day = randomDay();
      const lead = pickLead();
      const kind = random.weighted<"students" | "staff" | "online">([["students", 9], ["staff", 3], ["online", 2]]);
      if (kind === "students") {
        const school = random.pick(district.atLevels(["MIDDLE", "HIGH", "K12"]));
        const grade = random.pick(gradesOf(schools[school].level));
        plan({
          program: "QPR", kind: "closed", title: `QPR: ${gradeLabel(grade)}, ${schools[school].name}`, format: "IN_PERSON",
          audience: "STUDENTS", school, siteName: null, lead, coTrainers: pickCo(lead, 0.2), capacity: 40,
          enrolledCount: random.int(22, 36), dates: [day], times: ["10:00", "11:30"], choose: studentChooser("QPR", school, [grade]),
        });
      } else if (kind === "staff") {
        const school = random.int(0, schools.length - 1);
        plan({
          program: "QPR", kind: "closed", title: `QPR for ${schools[school].name} staff`, format: "IN_PERSON",
          audience: "STAFF", school, siteName: null, lead, coTrainers: [], capacity: 40, enrolledCount: random.int(10, 30),
          dates: [day], times: ["14:30", "16:00"], choose: staffChooser("QPR", school),
        });
      } else {
        plan({
          program: "QPR", kind: "closed", title: "QPR online for staff and community partners", format: "VIRTUAL",
          audience: "MIXED", school: null, siteName: online, lead, coTrainers: [], capacity: 40,
          enrolledCount: random.int(12, 30), dates: [day], times: ["17:30", "19:00"], choose: mixedChooser("QPR", 0.4),
        });
      }
    }
    // Teen MHFA from the first tracked year on: the readiness check needs that year's staff rosters.
    if (y >= years[0]) {
      for (let n = 0; n < count(6); n++) {
        const first = randomDay(14);
        const lead = pickLead();
        const grade = random.chance(0.7) ? 10 : random.int(11, 12);
        plan({
          program: "TMHFA", kind: "closed", title: `Teen Mental Health First Aid: ${gradeLabel(grade)}`, format: "IN_PERSON",
          audience: "STUDENTS", school: "ready-high-school", siteName: null, lead, coTrainers: pickCo(lead, 0.3), capacity: 30,
          enrolledCount: random.int(18, 30), dates: [first, addDays(first, 7), addDays(first, 14)], times: ["10:00", "11:30"],
          choose: (day, n, school) => (school == null ? [] : fill("TMHFA", day, n, [studentsOf(day, school, [grade])])),
        });
      }
    }
  }

  // Sessions placed for the story the demo tells, relative to today.
  const mustComplete = new Set([member]);
  // The member's YMHFA certificate expires in about 25 days, so its renewal window is open and
  // its 30-day reminder is due a few days ago: the first reminder pass sends it.
  plan({
    program: "YMHFA", kind: "closed", title: `Youth Mental Health First Aid: ${schools[S001].name} staff`, format: "IN_PERSON",
    audience: "STAFF", school: S001, siteName: null, lead: TERRY, coTrainers: [1], capacity: 30, enrolledCount: 18,
    dates: [weekdayOnOrBefore(addMonths(addDays(today, 25), -36))], times: ["08:00", "15:30"],
    choose: withMember(staffChooser("YMHFA", S001)), mustComplete,
  });
  // The member's adult MHFA certificate expired about four months ago and was never renewed.
  plan({
    program: "MHFA", kind: "closed", title: "Adult Mental Health First Aid for staff, families and partners", format: "IN_PERSON",
    audience: "MIXED", school: null, siteName: COMMUNITY_SITES[0], lead: 2, coTrainers: [], capacity: 30, enrolledCount: 16,
    dates: [weekdayOnOrBefore(addMonths(today, -40))], times: ["09:00", "16:30"], choose: withMember(mixedChooser("MHFA", 0.6)),
    mustComplete,
  });
  // QPR at the member's school about ten months ago: a certificate that never expires.
  plan({
    program: "QPR", kind: "closed", title: `QPR for ${schools[S001].name} staff`, format: "IN_PERSON", audience: "STAFF",
    school: S001, siteName: null, lead: TERRY, coTrainers: [], capacity: 40, enrolledCount: 24,
    dates: [weekdayOnOrBefore(addMonths(today, -10))], times: ["14:30", "16:00"], choose: withMember(staffChooser("QPR", S001)),
    mustComplete,
  });
  // A cohort certified just over three years ago, many of whom renewed four months ago, inside the window.
  const renewalSchool = highSchools[1];
  plan({
    program: "YMHFA", kind: "closed", title: `Youth Mental Health First Aid: ${schools[renewalSchool].name} staff`,
    format: "IN_PERSON", audience: "STAFF", school: renewalSchool, siteName: null, lead: 1, coTrainers: [TERRY], capacity: 30,
    enrolledCount: 24, dates: [weekdayOnOrBefore(addMonths(today, -38))], times: ["08:00", "15:30"], choose: staffChooser("YMHFA", renewalSchool),
  });
  plan({
    program: "YMHFA", kind: "closed", title: `YMHFA recertification: ${schools[renewalSchool].name}`, format: "BLENDED",
    audience: "STAFF", school: renewalSchool, siteName: null, lead: 1, coTrainers: [], capacity: 30, enrolledCount: 22,
    dates: [weekdayOnOrBefore(addMonths(today, -4))], times: ["13:00", "16:00"], choose: staffChooser("YMHFA", renewalSchool, 0.6),
  });

  // Held, with attendance taken, but not closed yet.
  plan({
    program: "YMHFA", kind: "awaiting-close", title: `Youth Mental Health First Aid: ${schools[S001].name} staff`, format: "IN_PERSON",
    audience: "STAFF", school: S001, siteName: null, lead: TERRY, coTrainers: [4], capacity: 30, enrolledCount: 20,
    dates: [weekdayOnOrBefore(addDays(today, -9))], times: ["08:00", "15:30"], choose: staffChooser("YMHFA", S001),
  });
  plan({
    program: "QPR", kind: "awaiting-close", title: `QPR: Grade 7, ${schools[S002].name}`, format: "IN_PERSON", audience: "STUDENTS",
    school: S002, siteName: null, lead: TERRY, coTrainers: [], capacity: 40, enrolledCount: 28,
    dates: [weekdayOnOrBefore(addDays(today, -4))], times: ["10:00", "11:30"], choose: studentChooser("QPR", S002, [7]),
  });
  plan({
    program: "QPR", kind: "awaiting-close", title: "QPR online for staff and community partners", format: "VIRTUAL", audience: "MIXED",
    school: null, siteName: online, lead: 2, coTrainers: [], capacity: 40, enrolledCount: 18,
    dates: [weekdayOnOrBefore(addDays(today, -6))], times: ["17:30", "19:00"], choose: mixedChooser("QPR", 0.4),
  });

  // Today, for the trainer's check-in.
  plan({
    program: "QPR", kind: "today", title: `QPR for ${schools[S002].name} staff`, format: "IN_PERSON", audience: "STAFF",
    school: S002, siteName: null, lead: TERRY, coTrainers: [], capacity: 40, enrolledCount: 21, dates: [today],
    times: ["15:00", "16:30"], choose: staffChooser("QPR", S002),
  });

  // Coming up in the next weeks.
  const tmhfaStart = weekdayOnOrAfter(addDays(today, 15));
  plan({
    program: "YMHFA", kind: "upcoming", title: `YMHFA (renewals welcome): ${schools[S001].name} staff`, format: "IN_PERSON",
    audience: "STAFF", school: S001, siteName: null, lead: TERRY, coTrainers: [1], capacity: 30, enrolledCount: 18,
    dates: [weekdayOnOrAfter(addDays(today, 10))], times: ["08:00", "15:30"], choose: staffChooser("YMHFA", S001, 0.5),
  });
  plan({
    program: "TMHFA", kind: "upcoming", title: `Teen Mental Health First Aid: Grade 10, ${schools[S001].name}`, format: "IN_PERSON",
    audience: "STUDENTS", school: S001, siteName: null, lead: TERRY, coTrainers: [4], capacity: 30, enrolledCount: 26,
    dates: [tmhfaStart, addDays(tmhfaStart, 7), addDays(tmhfaStart, 14)], times: ["10:00", "11:30"], choose: studentChooser("TMHFA", S001, [10]),
  });
  plan({
    program: "QPR", kind: "upcoming", title: "QPR online for staff and community partners", format: "VIRTUAL", audience: "MIXED",
    school: null, siteName: online, lead: 2, coTrainers: [], capacity: 40, enrolledCount: 14,
    dates: [weekdayOnOrAfter(addDays(today, 17))], times: ["17:30", "19:00"], choose: mixedChooser("QPR", 0.5),
  });
  plan({
    program: "MHFA", kind: "upcoming", title: "Adult Mental Health First Aid for families and partners", format: "IN_PERSON",
    audience: "COMMUNITY", school: null, siteName: COMMUNITY_SITES[2], lead: 3, coTrainers: [], capacity: 30, enrolledCount: 9,
    dates: [weekdayOnOrAfter(addDays(today, 24))], times: ["09:00", "16:30"], choose: communityChooser("MHFA"),
  });
  plan({
    program: "YMHFA", kind: "upcoming", title: "Youth Mental Health First Aid: district staff (blended)", format: "BLENDED",
    audience: "MIXED", school: null, siteName: DISTRICT_SITE, lead: 4, coTrainers: [TERRY], capacity: 30, enrolledCount: 6,
    dates: [weekdayOnOrAfter(addDays(today, 31))], times: ["09:00", "13:30"], choose: mixedChooser("YMHFA", 0.2),
  });

  // Cancelled sessions stay on record with their enrolments.
  plan({
    program: "QPR", kind: "cancelled", title: `QPR for ${schools[S002].name} staff`, format: "IN_PERSON", audience: "STAFF",
    school: S002, siteName: null, lead: 5, coTrainers: [], capacity: 40, enrolledCount: 8,
    dates: [weekdayOnOrBefore(addMonths(today, -5))], times: ["14:30", "16:00"], choose: staffChooser("QPR", S002),
  });
  plan({
    program: "YMHFA", kind: "cancelled", title: "Youth Mental Health First Aid: district staff", format: "IN_PERSON", audience: "MIXED",
    school: null, siteName: DISTRICT_SITE, lead: 3, coTrainers: [], capacity: 30, enrolledCount: 5,
    dates: [weekdayOnOrBefore(addMonths(today, -14))], times: ["08:00", "15:30"], choose: mixedChooser("YMHFA", 0.2),
  });

  // Play the sessions out in date order.
  planned.sort((a, b) => a.dates[0].getTime() - b.dates[0].getTime() || a.order - b.order);
  const training: Training = { sessions: [], days: [], trainers: [], enrollments: [], attendance: [], certifications: [] };
  for (const s of planned) {
    const rules = programDefinition(s.program);
    const first = s.dates[0];
    const last = s.dates[s.dates.length - 1];
    const school = s.school === "ready-high-school" ? readyHighSchool(first) : s.school;
    if (s.school === "ready-high-school" && school == null) continue; // no school ready yet: no session
    const learners = s.choose(first, s.enrolledCount, school);
    if (learners.length < 5 && s.kind === "closed") continue;
    const status: SessionStatus = s.kind === "closed" ? "CLOSED" : s.kind === "cancelled" ? "CANCELLED" : "SCHEDULED";
    const createdOn = minDate(addDays(first, -random.int(14, 45)), addDays(today, -1));
    const closeAfter = random.int(5, 16);
    const closedAt = at(addDays(last, closeAfter), "16:00");
    training.sessions.push({
      id: s.id, program: s.program, title: s.title, format: s.format, audience: s.audience,
      schoolId: school == null ? null : schools[school].id, siteName: s.siteName,
      hostOrganization: TRAINERS[s.lead].org, capacity: s.capacity, notes: null, status,
      closedAt: status === "CLOSED" ? closedAt : null,
      cancelledAt: status === "CANCELLED" ? at(addDays(first, -random.int(2, 10)), "12:00") : null,
      createdById: s.createdByLead ? users.trainers[s.lead] : users.lead,
      createdAt: at(createdOn, "10:00"), updatedAt: at(createdOn, "10:00"),
    });
    const days = s.dates.map((d) => ({ id: randomUUID(), sessionId: s.id, startsAt: at(d, s.times[0]), endsAt: at(d, s.times[1]) }));
    training.days.push(...days);
    training.trainers.push({ sessionId: s.id, userId: users.trainers[s.lead], role: "LEAD" });
    for (const co of s.coTrainers) if (co !== s.lead) training.trainers.push({ sessionId: s.id, userId: users.trainers[co], role: "CO" });

    const held = s.kind === "closed" || s.kind === "awaiting-close";
    const lastEnrolmentDay = minDate(addDays(first, -1), today);
    for (const person of learners) {
      lastEnrolled.set(key(person, s.program), first.getTime());
      const forced = s.mustComplete.has(person);
      const enrollmentId = randomUUID();
      const enrolledOn = addDays(createdOn, random.int(0, Math.max(0, Math.round((lastEnrolmentDay.getTime() - createdOn.getTime()) / 86_400_000))));
      const statuses: AttendanceStatus[] = held
        ? days.map(() => (forced ? "PRESENT" : outcomes.weighted<AttendanceStatus>([["PRESENT", 92], ["PARTIAL", 3], ["ABSENT", 5]])))
        : [];
      const allPresent = statuses.length > 0 && statuses.every((st) => st === "PRESENT");
      // Post-work comes after the course; some never finish it, and they get no certificate.
      const postWorkDone = held && rules.requiresPostWork && (forced || outcomes.chance(allPresent ? (s.kind === "closed" ? 0.88 : 0.5) : 0.2));
      const postWorkOn = postWorkDone ? minDate(addDays(last, outcomes.int(0, closeAfter - 1)), today) : null;
      const evaluationOn = held && outcomes.chance(0.7) ? last : null;
      training.enrollments.push({
        id: enrollmentId, sessionId: s.id, personId: population.people[person].id,
        postWorkCompletedOn: postWorkOn, evaluationCompletedOn: evaluationOn,
        createdAt: new Date(enrolledOn.getTime() + ENROLMENT_HOUR_UTC),
      });
      days.forEach((d, i) => {
        const status = statuses[i];
        if (status) training.attendance.push({ id: randomUUID(), enrollmentId, sessionDayId: d.id, status, method: "SEED", recordedAt: d.endsAt });
      });
      if (s.kind !== "closed") continue;
      const completion = evaluateCompletion(rules, { attendance: statuses, postWorkDone: postWorkOn != null, evaluationDone: evaluationOn != null });
      if (!completion.completed) continue;
      const issuedOn = startOfDayUtc(last);
      const certification: CertificationPlan = {
        id: randomUUID(), personId: population.people[person].id, program: s.program, sessionId: s.id,
        issuedOn, expiresOn: expiresOn(issuedOn, rules), verificationCode: newVerificationCode(), renewedById: null, createdAt: closedAt,
      };
      // A renewal keeps the old certificate and points it at the new one (docs/decisions/002-renewals.md).
      const previous = latest.get(key(person, s.program));
      if (previous && renewsPrevious(previous, issuedOn)) previous.renewedById = certification.id;
      latest.set(key(person, s.program), certification);
      training.certifications.push(certification);
    }
  }
  return training;
}

function planGoals(calendar: Calendar, district: District, programIds: Record<ProgramCode, string>, createdById: string): Prisma.GoalCreateManyInput[] {
  const { currentYear, at } = calendar;
  const startsOn = dateOf(`${currentYear}-07-01`);
  const deadline = dateOf(`${currentYear + 1}-06-30`);
  const common = { createdById, createdAt: at(startsOn, "09:00"), updatedAt: at(startsOn, "09:00"), startsOn, deadline };
  return [
    { ...common, id: randomUUID(), scope: "DISTRICT", programId: programIds.YMHFA, measure: "STAFF_REACH", target: 25 },
    { ...common, id: randomUUID(), scope: "REGION", regionId: district.regions[0].id, programId: programIds.QPR, measure: "PEOPLE_TRAINED", target: 250 },
    { ...common, id: randomUUID(), scope: "SCHOOL", schoolId: district.schools[S001].id, programId: programIds.YMHFA, measure: "STAFF_REACH", target: 60 },
    { ...common, id: randomUUID(), scope: "DISTRICT", programId: programIds.TMHFA, measure: "PEOPLE_TRAINED", target: 400, startsOn: dateOf(`${currentYear - 1}-07-01`) },
  ];
}

/** A renewed certificate points at its renewal, so the renewal must be written first. */
function inRenewalOrder(certifications: CertificationPlan[]): CertificationPlan[] {
  const byId = new Map(certifications.map((c) => [c.id, c]));
  const depth = new Map<string, number>();
  const depthOf = (c: CertificationPlan): number => {
    const known = depth.get(c.id);
    if (known != null) return known;
    const renewal = c.renewedById ? byId.get(c.renewedById) : undefined;
    const d = renewal ? depthOf(renewal) + 1 : 0;
    depth.set(c.id, d);
    return d;
  };
  return [...certifications].sort((a, b) => depthOf(a) - depthOf(b));
}

/**
 * A few evaluations of Terry Trainer's most recent closed QPR session, so the evaluation summaries
 * (app/routes/sessions.$sessionId.evaluation.tsx, trainers.$userId.evaluations.tsx) show something:
 * anonymous answers, and the matching participants' evaluationCompletedOn, as the public form writes them.
 */
async function seedDemoEvaluations(tx: Prisma.TransactionClient, terryId: string) {
  const session = await tx.trainingSession.findFirst({
    where: { status: "CLOSED", title: { startsWith: "QPR for" }, trainers: { some: { userId: terryId, role: "LEAD" } } },
    orderBy: { closedAt: "desc" },
    select: { id: true, days: { orderBy: { startsAt: "desc" }, take: 1, select: { startsAt: true } }, enrollments: { orderBy: { id: "asc" }, select: { id: true } } },
  });
  const lastDay = session?.days[0];
  if (!session || !lastDay) return;
  // Fixed answers (overall, content, trainers, confidence, recommend, language, comment): the demo reads the same every time.
  const answers: Array<[number, number, number, number, boolean | null, "en" | "es", string | null]> = [
    [5, 5, 5, 4, true, "en", "Practical and clear. The role-play made it feel real."],
    [4, 4, 5, 4, true, "en", null],
    [5, 4, 5, 5, true, "es", "Muy útil. Me gustaría una sesión para las familias."],
    [4, 3, 4, 3, true, "en", "More time for questions would help."],
    [3, 4, 4, 4, false, "en", null],
    [5, 5, 5, 5, true, "en", null],
    [4, 4, 4, 4, null, "es", null],
  ];
  const onDay = new Date(`${lastDay.startsAt.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const done = session.enrollments.slice(0, answers.length);
  await tx.enrollment.updateMany({ where: { id: { in: done.map((e) => e.id) } }, data: { evaluationCompletedOn: onDay } });
  await tx.sessionEvaluation.createMany({
    data: answers.slice(0, done.length).map(([overall, content, trainers, confidence, recommend, language, comment]) => ({
      sessionId: session.id, overall, content, trainers, confidence, recommend, language, comment, submittedAt: onDay,
    })),
  });
}

export async function seedDemoDistrict(prisma: PrismaClient, options: SeedOptions = {}): Promise<SeedSummary> {
  const { today = new Date(), log = console.log, timeZone = "America/Los_Angeles" } = options;
  const started = Date.now();

  // The demo district is loaded into an empty database only; codes and emails would collide otherwise.
  const [existingSchools, existingUsers] = await Promise.all([prisma.school.count(), prisma.user.count()]);
  if (existingSchools > 0 || existingUsers > 0) {
    throw new Error("seedDemoDistrict needs an empty database: this one already has schools or users");
  }

  const calendar = makeCalendar(today, timeZone);
  const district = planDistrict();
  const population = planPopulation(calendar, district);
  const headcounts = planHeadcounts(calendar, district, population);
  const users: DemoUserIds = { admin: randomUUID(), lead: randomUUID(), trainers: TRAINERS.map(() => randomUUID()) };
  const training = planTraining(calendar, district, population, users);
  log(`Planned the demo district in ${Date.now() - started} ms; writing…`);

  // One transaction: a seed that fails half-way leaves the database empty, so the next start retries.
  const written = await prisma.$transaction(
    async (tx) => {
      const programs = await upsertPrograms(tx);
      const programIds: Record<ProgramCode, string> = { YMHFA: programs.YMHFA.id, TMHFA: programs.TMHFA.id, MHFA: programs.MHFA.id, QPR: programs.QPR.id };
      for (const region of district.regions) await createRegion(tx, region);
      // Four schools in five have a safety protocol on record (Teen MHFA readiness needs one); the fifth shows the case.
      for (const [i, { region, ...school }] of district.schools.entries()) {
        const safetyProtocolSince = i % 5 === 4 ? null : addDays(calendar.today, -400 - 7 * (i % 30));
        await createSchool(tx, { ...school, regionId: district.regions[region].id, safetyProtocolSince });
      }
      await insertRows(tx, "Person", population.people);
      await insertRows(tx, "Affiliation", population.affiliations);
      await tx.headcount.createMany({ data: headcounts });

      const member = population.people[population.member].id;
      const demoUsers: Array<{ role: Role } & UserOptions> = [
        { role: "ADMIN", id: users.admin, email: "admin@demo.k12.example", name: "Alex Admin" },
        { role: "PROGRAM_LEAD", id: users.lead, email: "lead@demo.k12.example", name: "Lee Program-Lead" },
        ...TRAINERS.map((t, i) => ({ role: "TRAINER" as const, id: users.trainers[i], email: t.email, name: t.name })),
        { role: "COORDINATOR", email: "coordinator@demo.k12.example", name: "Casey Coordinator", schoolIds: [district.schools[S001].id, district.schools[S002].id] },
        { role: "MEMBER", email: "member@demo.k12.example", name: "Morgan Member", personId: member },
      ];
      // createUser hashes each distinct password once, so all the demo users cost one Argon2 hash.
      for (const { role, ...user } of demoUsers) await createUser(tx, role, { ...user, password: DEMO_PASSWORD });
      // The demo coordinator receives the monthly digest of their schools (app/models/coordinator-digest.server.ts).
      await tx.user.update({ where: { email: "coordinator@demo.k12.example" }, data: { monthlyDigest: true } });

      await tx.trainingSession.createMany({ data: training.sessions.map(({ program, ...row }) => ({ ...row, programId: programIds[program] })) });
      await tx.sessionDay.createMany({ data: training.days });
      await tx.sessionTrainer.createMany({ data: training.trainers });
      await insertRows(tx, "Enrollment", training.enrollments);
      await insertRows(tx, "Attendance", training.attendance);
      await insertRows(tx, "Certification", inRenewalOrder(training.certifications).map(({ program, ...row }) => ({ ...row, programId: programIds[program] })));
      const goals = planGoals(calendar, district, programIds, users.lead);
      await tx.goal.createMany({ data: goals });
      await seedDemoEvaluations(tx, users.trainers[TERRY]);
      await seedDemoInstructors(tx, {
        trainers: TRAINERS.map((t, i) => ({ ...t, userId: users.trainers[i] })),
        programIds: { YMHFA: programIds.YMHFA, QPR: programIds.QPR },
        today: calendar.today, timeZone, plan: training, recordedById: users.admin,
      });
      return { users: demoUsers.length, goals: goals.length };
    },
    { timeout: 180_000, maxWait: 10_000 },
  );

  const summary: SeedSummary = {
    regions: district.regions.length,
    schools: district.schools.length,
    staff: population.staffCount,
    students: population.studentCount,
    community: population.community.length,
    affiliations: population.affiliations.length,
    headcounts: headcounts.length,
    users: written.users,
    sessions: training.sessions.length,
    enrollments: training.enrollments.length,
    attendance: training.attendance.length,
    certifications: training.certifications.length,
    goals: written.goals,
  };
  log(
    `Demo district loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.schools} schools in ${summary.regions} regions, ` +
      `${summary.staff} staff, ${summary.students} students, ${summary.community} community partners, ` +
      `${summary.sessions} sessions, ${summary.enrollments} enrolments, ${summary.certifications} certificates.`,
  );
  return summary;
}
