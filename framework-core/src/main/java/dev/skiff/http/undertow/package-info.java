/**
 * The escape hatch to Undertow, apart from the API a handler needs: {@link
 * dev.skiff.http.undertow.UndertowContext#exchange}.
 */
package dev.skiff.http.undertow;
