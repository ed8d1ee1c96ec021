/**
 * The raw reference: an object's index in the heap's columns. It is a plain
 * number so that the raw layer (the C-API's discipline) costs nothing per
 * object; ownership is a convention of the caller, exactly as with PyObject*.
 */
export type Ref = number;

/** The null reference: no object (C's NULL). Index 0 is never allocated. */
export const NULL: Ref = 0;
