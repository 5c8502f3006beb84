/*
 * entity_types.c - the names of the entity types.
 */
#include "entity_types.h"

static const char *const type_names[ENT_TYPES] = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "MISC"};

const char *entity_type_name(entity_type t)
{
    return (unsigned)t < ENT_TYPES ? type_names[t] : "MISC";
}
