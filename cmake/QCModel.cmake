# qc_add_model(<target> <model.onnx|model.mlir>
#              [NAME <symbol prefix>]          default: <target>
#              [TARGET <qc target>]            default: host
#              [CALIBRATION_DATA <path>]       quantize a float model
#              [INPUT_SHAPES <name:dims>...]
#              [OPTIONS <more qc flags>...])
#
# Compiles a model with qc as part of the build: a static library <target>
# holding the model's code, and the generated header <NAME>.h on the
# library's include path. QC_EXECUTABLE names the qc to run (QCConfig.cmake
# sets it for an installed qc).
function(qc_add_model target model)
  cmake_parse_arguments(ARG "" "NAME;TARGET;CALIBRATION_DATA" "INPUT_SHAPES;OPTIONS" ${ARGN})
  if(NOT QC_EXECUTABLE)
    message(FATAL_ERROR "qc_add_model: QC_EXECUTABLE is not set")
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME ${target})
  endif()
  if(NOT ARG_TARGET)
    set(ARG_TARGET host)
  endif()
  get_filename_component(model ${model} ABSOLUTE)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target}.qc)
  set(object ${dir}/${ARG_NAME}.o)
  set(header ${dir}/include/${ARG_NAME}.h)
  set(args ${model} -o ${object} --header ${header} --name ${ARG_NAME}
           --target=${ARG_TARGET})
  set(depends ${model})
  if(ARG_CALIBRATION_DATA)
    get_filename_component(calib ${ARG_CALIBRATION_DATA} ABSOLUTE)
    list(APPEND args --calibration-data ${calib})
    list(APPEND depends ${calib})
  endif()
  foreach(shape ${ARG_INPUT_SHAPES})
    list(APPEND args --input-shape=${shape})
  endforeach()
  list(APPEND args ${ARG_OPTIONS})
  if(TARGET qc)
    list(APPEND depends qc)
  endif()
  add_custom_command(
    OUTPUT ${object} ${header}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}/include
    COMMAND ${QC_EXECUTABLE} ${args}
    DEPENDS ${depends}
    COMMENT "qc: compiling ${model} (${ARG_TARGET})"
    VERBATIM)
  add_custom_target(${target}_qc DEPENDS ${object} ${header})
  set_source_files_properties(${object} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_library(${target} STATIC ${object})
  add_dependencies(${target} ${target}_qc)
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  target_include_directories(${target} INTERFACE ${dir}/include)
endfunction()
