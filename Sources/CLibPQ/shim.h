#ifndef VIGIL_CLIBPQ_SHIM_H
#define VIGIL_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
