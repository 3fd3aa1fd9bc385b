CREATE TABLE letter(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE item(id INTEGER PRIMARY KEY, letter_id INTEGER, ord INTEGER, decision TEXT, item_type TEXT, body_region TEXT);
CREATE TABLE item_source(item_id INTEGER, party TEXT, source TEXT);
INSERT INTO letter VALUES (1, 'L1'), (2, 'L2'), (3, 'L3');
INSERT INTO item VALUES (1, 1, 1, 'overturned', 'cold-heat-device', 'shoulder'),
  (2, 1, 2, 'upheld', 'physical-therapy', 'cervical'),
  (3, 2, 1, 'upheld', 'cold-heat-device', 'knee'),
  (4, 3, 1, 'upheld', 'cold-heat-device', 'shoulder'),
  (5, 3, 2, 'upheld', 'cold-heat-device', 'shoulder'),
  (6, 3, 3, 'upheld', 'other', 'unspecified');
INSERT INTO item_source VALUES (1, 'maximus', 'odg'), (1, 'claims', 'mtus'), (2, 'maximus', 'mtus'),
  (3, 'maximus', 'odg'), (3, 'maximus', 'mtus'), (4, 'maximus', 'mtus'), (4, 'maximus', 'acoem'),
  (5, 'maximus', 'mtus');
