#pragma once

#include <string>

#include "domain/records.h"

namespace mxemu::api {

// A small, valid one-page PDF naming the statement's account and period, so clients can test
// a real download-and-store path. Deterministic: the same statement gives the same bytes.
std::string statement_pdf(const domain::Statement& statement);

}  // namespace mxemu::api
