/**
 * What the reach exports need beyond the pages' loaders: the whole of a people list, not one page of it.
 * Same query as the page (peopleBehind), read a large page at a time.
 */
import type { ReachFilters } from "~/domain/reach-filters";
import type { PeopleListName } from "~/domain/reach-people";
import { peopleBehind } from "~/models/reach.server";
import type { ScopeFilter } from "~/models/reach-sql.server";
import type { VisibilityViewer } from "~/models/people-visibility.server";

const EXPORT_PAGE_SIZE = 5_000;

export async function allPeopleBehind(args: { viewer: VisibilityViewer; list: PeopleListName; filters: ReachFilters; programId: string; scope: ScopeFilter }) {
  const first = await peopleBehind({ ...args, page: 1, pageSize: EXPORT_PAGE_SIZE });
  const people = [...first.people];
  for (let page = 2; page <= first.pageCount; page += 1) {
    people.push(...(await peopleBehind({ ...args, page, pageSize: EXPORT_PAGE_SIZE })).people);
  }
  return people;
}
