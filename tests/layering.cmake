# Checks every project #include against the dependencies each folder declares
# in CMakeLists.txt (docs/architecture.md, "Layout and the build"), so a
# sideways include fails a test instead of slipping in.
# Run: cmake -DSOURCE_DIR=<repo> -P tests/layering.cmake
cmake_minimum_required(VERSION 3.25)

# folder ; globs ; include prefixes it may use (besides its own)
set(RULES
  "common|common/*|"
  "core|core/*,core/ports/*|common/"
  "credentials|credentials/*|core/,common/"
  "storage/sql|storage/sql/*|core/,common/"
  "storage/sqlite|storage/sqlite/*|storage/sql/,core/,common/"
  "storage/postgres|storage/postgres/*|storage/sql/,core/,common/"
  "storage|storage/*|storage/sqlite/,storage/postgres/,core/,common/"
  "adapters/http|adapters/http/*|core/,common/"
  "adapters/elastic_path_v2|adapters/elastic_path_v2/*|adapters/http/,core/,common/"
  "adapters/microbase_v1|adapters/microbase_v1/*|adapters/http/,core/,common/"
  "adapters/admin|adapters/admin/*|adapters/http/,adapters/migration/,core/,common/"
  "adapters/openapi|adapters/openapi/*|adapters/http/,common/"
  "adapters/migration|adapters/migration/*|adapters/elastic_path_v2/,adapters/microbase_v1/,adapters/http/,credentials/,core/,common/"
)

set(violations "")
foreach(rule ${RULES})
  string(REPLACE "|" ";" parts "${rule}")
  list(GET parts 0 folder)
  list(GET parts 1 globs)
  list(LENGTH parts n)
  set(allowed "${folder}/")
  if(n GREATER 2)
    list(GET parts 2 extra)
    string(REPLACE "," ";" extra "${extra}")
    list(APPEND allowed ${extra})
  endif()
  string(REPLACE "," ";" globs "${globs}")
  set(files "")
  foreach(g ${globs})
    file(GLOB found "${SOURCE_DIR}/${g}.cc" "${SOURCE_DIR}/${g}.h")
    list(APPEND files ${found})
  endforeach()
  foreach(f ${files})
    file(STRINGS "${f}" includes REGEX "^#include \"")
    foreach(line ${includes})
      string(REGEX REPLACE "^#include \"([^\"]*)\".*" "\\1" path "${line}")
      set(ok FALSE)
      foreach(prefix ${allowed})
        string(FIND "${path}" "${prefix}" at)
        if(at EQUAL 0)
          set(ok TRUE)
        endif()
      endforeach()
      if(NOT ok)
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
        list(APPEND violations "${rel} includes ${path}")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  string(REPLACE ";" "\n  " text "${violations}")
  message(FATAL_ERROR "includes outside the declared dependencies:\n  ${text}")
endif()
message(STATUS "layering: every include is within its folder's declared dependencies")
