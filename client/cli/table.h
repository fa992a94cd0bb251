#pragma once

#include <string>
#include <vector>

// Plain-text tables for people: a header row, a rule, columns padded to their widest cell
// (counted in UTF-8 code points), two spaces apart; the last column is not padded.
namespace mxctl {

using TableRow = std::vector<std::string>;

// Every row has the header's number of cells (missing cells print empty, extra ones are
// dropped). Each line ends with a newline.
std::string render_table(const TableRow& header, const std::vector<TableRow>& rows);

}  // namespace mxctl
