import { describe, expect, it } from "vitest";
import { districtIdsOneTypoApart, districtIdTypoPairs, orderedPair, sameNameAndEmailPairs, type DuplicateCandidate } from "./duplicates";

describe("districtIdsOneTypoApart", () => {
  it("one character changed, added, dropped, or two adjacent swapped", () => {
    expect(districtIdsOneTypoApart("E10234", "E10284")).toBe(true);
    expect(districtIdsOneTypoApart("E10234", "E102345")).toBe(true);
    expect(districtIdsOneTypoApart("E10234", "E1234")).toBe(true);
    expect(districtIdsOneTypoApart("E10234", "E01234")).toBe(true);
    expect(districtIdsOneTypoApart("E10234", "E10243")).toBe(true);
  });

  it("letter case alone is a typo; equal IDs are not", () => {
    expect(districtIdsOneTypoApart("e10234", "E10234")).toBe(true);
    expect(districtIdsOneTypoApart("E10234", "E10234")).toBe(false);
  });

  it("two changes, two swaps apart or a longer difference are not", () => {
    expect(districtIdsOneTypoApart("E10234", "E19284")).toBe(false);
    expect(districtIdsOneTypoApart("E10234", "E13204")).toBe(false); // 0 and 3 swapped across the 2
    expect(districtIdsOneTypoApart("E10234", "E1023456")).toBe(false);
    expect(districtIdsOneTypoApart("E10234", "10234E")).toBe(false);
  });
});

const person = (id: string, districtId: string | null, firstName = "José", lastName = "Núñez", email: string | null = null): DuplicateCandidate =>
  ({ id, districtId, firstName, lastName, email });

describe("districtIdTypoPairs", () => {
  it("pairs namesakes (folded: case and accents) whose IDs are one typo apart, in id order", () => {
    const pairs = districtIdTypoPairs([
      person("b", "S1001"), person("a", "S1010", "JOSE", "NUNEZ"), person("c", "S2002"), person("d", null),
    ]);
    expect(pairs).toEqual([orderedPair("a", "b")]);
  });

  it("does not pair different names, however close the IDs", () => {
    expect(districtIdTypoPairs([person("a", "S1001"), person("b", "S1002", "Ana")])).toEqual([]);
  });

  it("finds the one pair among many namesakes without missing or repeating it", () => {
    // IDs eleven apart differ in two digits at least, so no two of these are one typo apart.
    const many = Array.from({ length: 500 }, (_, i) => person(`p${i}`, `S${10000 + i * 11}`));
    const pairs = districtIdTypoPairs([...many, person("typo", "S1011O")]);
    // S10110 is p10 (10000 + 10 * 11); "S1011O" has its last 0 typed as a letter O.
    expect(pairs).toEqual([orderedPair("p10", "typo")]);
  });
});

describe("sameNameAndEmailPairs", () => {
  it("pairs the same folded name under the same email, any case", () => {
    const pairs = sameNameAndEmailPairs([
      person("a", null, "Pat", "Lee", "pat@x.org"), person("b", "E1", "PAT", "lee", "Pat@X.org"),
      person("c", null, "Sam", "Lee", "pat@x.org"), person("d", null, "Pat", "Lee", null),
    ]);
    expect(pairs).toEqual([["a", "b"]]);
  });

  it("a shared mailbox with three of one name gives every pair once", () => {
    const pairs = sameNameAndEmailPairs(["x", "y", "z"].map((id) => person(id, null, "Pat", "Lee", "office@x.org")));
    expect(pairs).toEqual([["x", "y"], ["x", "z"], ["y", "z"]]);
  });
});
