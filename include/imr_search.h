/*
 * imr_search.h - ranked item search, snippets, filters and facet counts.
 */
#ifndef IMR_SEARCH_H
#define IMR_SEARCH_H

#endif
