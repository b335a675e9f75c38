/**
 * What a route handler sees: {@link dev.skiff.http.Handler} answers a request through its
 * {@link dev.skiff.http.Context}; {@link dev.skiff.http.HttpException} ends one with a status.
 */
package dev.skiff.http;
