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

/**
 * Each large page after the one before, as the Next link reads it: a long list is read once, not again
 * from its start for every page. A page that ends on someone the viewer may not see is followed by
 * number instead (the link never carries a hidden person's id).
 */
export async function allPeopleBehind(args: { viewer: VisibilityViewer; list: PeopleListName; filters: ReachFilters; programId: string; scope: ScopeFilter }) {
  let current = await peopleBehind({ ...args, page: 1, pageSize: EXPORT_PAGE_SIZE });
  const people = [...current.people];
  for (let page = 2; page <= current.pageCount; page += 1) {
    current = await peopleBehind({ ...args, page, after: current.nextAfter, pageSize: EXPORT_PAGE_SIZE });
    people.push(...current.people);
  }
  return people;
}
