import { describe, expect, it } from "vitest";
import { areaCsv, columnsFor, csvFileName, growthCsv, NO_HEADCOUNT, parseCsvTable, percentCell, schoolCsv } from "./reach-csv";

const school = {
  code: "S1", name: "Maple High", regionName: "North", staffHeadcount: null, staffCurrent: 2, staffReach: null,
  studentsTrainedYear: 3, studentsTrainedAllTime: null, communityTrained: 1, expiring: 0, ymhfaStaffCurrent: 0, ymhfaReach: null, teenReady: null,
};

describe("reach CSV", () => {
  it("writes shares as percent with one decimal, and 'no headcount' (never NaN or 0) when there is none", () => {
    expect(percentCell(0.42857)).toBe("42.9");
    expect(percentCell(0)).toBe("0.0");
    expect(percentCell(null)).toBe(NO_HEADCOUNT);
    expect(percentCell(Number.NaN)).toBe(NO_HEADCOUNT);
    expect(percentCell(Infinity)).toBe(NO_HEADCOUNT);
    const { rows } = schoolCsv([school], columnsFor("all"));
    expect(rows[0]).toEqual(["Maple High", "S1", "North", NO_HEADCOUNT, "2", NO_HEADCOUNT, "3", "", "1", "0", "0", NO_HEADCOUNT, NO_HEADCOUNT]);
  });

  it("shows the columns of the audience chosen", () => {
    expect(schoolCsv([school], columnsFor("community")).header).toEqual([
      "School", "Code", "Region", "Community partners trained", "Expiring in 90 days", "Staff with a current YMHFA certificate", "Staff with YMHFA (%)", "Teen MHFA readiness",
    ]);
    const area = { code: "", name: "District", schools: 2, schoolsWithoutHeadcount: 2, staffHeadcount: null, staffCurrentAtSchools: 0, staffReach: null, staffCurrentPeople: 4, studentsTrainedYear: 0, studentsTrainedAllTime: 0, communityTrained: 0, expiring: 0, teenReadySchools: 0 };
    expect(areaCsv([area], columnsFor("staff")).rows[0]).toEqual(["District", "", "2", "2", NO_HEADCOUNT, "0", NO_HEADCOUNT, "4", "0", "0"]);
  });

  it("leaves months not yet begun blank, and has a reach column only when asked", () => {
    const rows = [
      { month: "2026-01", trained: 2, newPeople: 1, cumulativePeople: 5, staffReachPercent: null },
      { month: "2026-02", trained: null, newPeople: null, cumulativePeople: null, staffReachPercent: null },
    ];
    expect(growthCsv(rows, false).header).toHaveLength(4);
    expect(growthCsv(rows, true).rows).toEqual([["2026-01", "2", "1", "5", NO_HEADCOUNT], ["2026-02", "", "", "", ""]]);
  });

  it("names files safely and reads ?table=", () => {
    expect(csvFileName(["reach", "Schools", "YMHFA", "2025-26", null, "as of", "2026-03-01"])).toBe("reach-schools-ymhfa-2025-26-as-of-2026-03-01.csv");
    expect(csvFileName(["Région Nord / Est", "../x"])).toBe("region-nord-est-x.csv");
    expect(csvFileName([])).toBe("export.csv");
    const tables = ["schools", "regions"] as const;
    expect(parseCsvTable(null, tables)).toEqual({ ok: true, table: "schools" });
    expect(parseCsvTable("regions", tables)).toEqual({ ok: true, table: "regions" });
    expect(parseCsvTable("people", tables)).toEqual({ ok: false, error: "Table must be one of: schools, regions" });
  });
});
