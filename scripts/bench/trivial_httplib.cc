// The baseline for scripts/bench-front.sh: the same cpp-httplib (0.11.4, from
// Debian) with one route that answers a fixed body, TCP_NODELAY on, and one
// thread per connection as the gateway's pool gives. It shows what the
// library and the machine cost by themselves, so the gateway's figures can be
// read as a ratio to it.
//
//   trivial_httplib PORT THREADS BODY_FILE
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: trivial_httplib PORT THREADS BODY_FILE\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const size_t threads = static_cast<size_t>(std::atoi(argv[2]));
  std::ifstream in(argv[3]);
  std::stringstream body;
  body << in.rdbuf();
  const std::string content = body.str();

  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_tcp_nodelay(true);
  server.Get(R"(/v2/customers/([^/]+))", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(content, "application/json");
  });
  std::printf("listening on http://127.0.0.1:%d\n", port);
  std::fflush(stdout);
  return server.listen("127.0.0.1", port) ? 0 : 1;
}
