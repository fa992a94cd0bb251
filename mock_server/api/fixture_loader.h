#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog.h"
#include "domain/error.h"
#include "domain/institution.h"

// Loads the emulator's reference data from the fixture JSON files (schema: docs/institutions.md):
//   institutions.json   {"institutions": [...]}  → domain::Institution
//   mx_categories.json  {"categories": [...]}    → domain::Category
//   merchants.json      {"merchants": [...]}     → domain::Merchant
// Other files in the fixture tree are ignored here.
namespace mxemu::api {

// Immutable once loaded: a copy shares the data, so every tenant's world holds the same
// institutions and catalog rather than its own ~100 KB of them. Never null when loaded.
struct FixtureSet {
  std::shared_ptr<const std::vector<domain::Institution>> institutions;  // in file order
  std::shared_ptr<const domain::DataCatalog> catalog;
};

// The fixtures embedded into the binary at build time (fixtures/CMakeLists.txt).
// Errors: kBadRequest, as for load_fixtures_dir (a file missing from the build included).
domain::Result<FixtureSet> load_embedded_fixtures();

// The three files from directory `dir` (e.g. `mxemu --fixtures DIR`).
// Errors: kBadRequest with a message located by file and JSON pointer, such as
//   "institutions.json: /institutions/3/throttle_window_seconds: expected integer"
//   "merchants.json: /merchants/12/category: unknown category \"Grocery\""
//   "institutions.json: parse error at line 4, column 7: ..."
// Never throws.
domain::Result<FixtureSet> load_fixtures_dir(const std::string& dir);

// Parses and validates the three files' contents (what both loaders do after reading).
// Checks: JSON shape and types, no unknown keys (keys starting with "_" are comments),
// guid shapes (INS-/CRD-/CAT-/MCH- + 8-4-4-4-12 hex), unique institution codes, institution
// guids, credential guids, category names and guids, merchant names and guids; every credential
// institution (script mxbank or extended) has exactly one password field and at least one login
// field; OAuth institutions (script oauth) support OAuth and have no credentials; account types
// are ones the data generator knows; categories nest one level; merchants name existing
// categories. Never throws.
domain::Result<FixtureSet> parse_fixtures(std::string_view institutions_json,
                                          std::string_view categories_json,
                                          std::string_view merchants_json);

}  // namespace mxemu::api
