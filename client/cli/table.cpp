#include "table.h"

#include <algorithm>

namespace mxctl {
namespace {

// Code points, not bytes: institution names and descriptions are UTF-8.
std::size_t width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

void append_row(std::string& out, const TableRow& row, const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    const std::string cell = i < row.size() ? row[i] : std::string();
    line += cell;
    if (i + 1 < widths.size()) line.append(widths[i] - width(cell) + 2, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out += line + "\n";
}

}  // namespace

std::string render_table(const TableRow& header, const std::vector<TableRow>& rows) {
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = width(header[i]);
  for (const TableRow& row : rows) {
    for (std::size_t i = 0; i < widths.size() && i < row.size(); ++i) {
      widths[i] = std::max(widths[i], width(row[i]));
    }
  }
  std::string out;
  append_row(out, header, widths);
  TableRow rule;
  for (std::size_t w : widths) rule.emplace_back(w, '-');
  append_row(out, rule, widths);
  for (const TableRow& row : rows) append_row(out, row, widths);
  return out;
}

}  // namespace mxctl
