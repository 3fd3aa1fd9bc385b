/*
 * imr_index.h - storing letters in the database: incremental, batched, crash-safe.
 */
#ifndef IMR_INDEX_H
#define IMR_INDEX_H

#endif
