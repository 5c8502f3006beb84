/*
 * entity_types.h - the types of entities and their names in the response
 * and in dictionary files ("PERSON", "ORG", ...): shared by the resources
 * and the stages, depending on neither.
 */
#ifndef ENRICH_ENTITY_TYPES_H
#define ENRICH_ENTITY_TYPES_H

typedef enum entity_type {
    ENT_PERSON = 0,
    ENT_ORG,
    ENT_GPE,
    ENT_LOC,
    ENT_FAC,
    ENT_NORP,
    ENT_EVENT,
    ENT_MISC,
    ENT_TYPES
} entity_type;

/* The name of a type ("PERSON"); "MISC" for a value out of range. */
const char *entity_type_name(entity_type t);

#endif
