/**
 * The {@code pagecache} actuator endpoint, its HTML view and the page store's health
 * indicator.
 */
@NullMarked
package dev.pagecache.actuate;

import org.jspecify.annotations.NullMarked;
