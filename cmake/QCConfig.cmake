# Package configuration of an installed qc: find_package(QC) gives
# QC_EXECUTABLE and qc_add_model() (see QCModel.cmake).
get_filename_component(_qc_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(QC_EXECUTABLE "${_qc_prefix}/bin/qc" CACHE FILEPATH "The qc compiler")
include("${CMAKE_CURRENT_LIST_DIR}/QCModel.cmake")
unset(_qc_prefix)
