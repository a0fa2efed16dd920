/** UserSig and PrivateMapKey: the tickets a user (or a robot acting for you) presents to join a room. */
package io.github.trtcreactive.core.usersig;
