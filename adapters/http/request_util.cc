#include "adapters/http/request_util.h"

#include "common/base64.h"
#include "common/url.h"

namespace gateway::http {
namespace {

// Form fields that do not decode are kept as sent (with '+' as a space): they
// can only fail the comparison they are read for.
std::string DecodeFormComponent(std::string_view raw) {
  if (std::optional<std::string> decoded = PercentDecode(raw, PlusIs::kSpace)) return *decoded;
  std::string kept(raw);
  for (char& c : kept) {
    if (c == '+') c = ' ';
  }
  return kept;
}

}  // namespace

Params ParseUrlEncoded(std::string_view text) {
  Params out;
  for (const RawParameter& p : SplitQuery(text)) {
    out.emplace_back(DecodeFormComponent(p.key), DecodeFormComponent(p.value));
  }
  return out;
}

std::string_view RawQuery(const httplib::Request& req) {
  std::string_view target = req.target;
  size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  size_t hash = query.find('#');
  return hash == std::string_view::npos ? query : query.substr(0, hash);
}

std::optional<std::string> Find(const Params& params, std::string_view key) {
  for (const auto& [k, v] : params) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::optional<std::string> BearerToken(const httplib::Request& req) {
  std::string value = req.get_header_value("Authorization");
  if (value.size() < 7) return std::nullopt;
  std::string scheme = value.substr(0, 7);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return std::nullopt;
  size_t start = value.find_first_not_of(' ', 7);
  if (start == std::string::npos) return std::nullopt;
  size_t end = value.find_last_not_of(' ');
  return value.substr(start, end - start + 1);
}

std::optional<std::pair<std::string, std::string>> BasicCredentials(const httplib::Request& req) {
  std::string value = req.get_header_value("Authorization");
  if (value.size() < 6) return std::nullopt;
  std::string scheme = value.substr(0, 6);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "basic ") return std::nullopt;
  std::optional<std::string> decoded = Base64Decode(value.substr(6));
  if (!decoded) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

bool IsFormBody(const httplib::Request& req) {
  return req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0;
}

void SetJson(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json");
}

const char* StatusTitle(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return status < 400 ? "OK" : "Error";
  }
}

}  // namespace gateway::http
