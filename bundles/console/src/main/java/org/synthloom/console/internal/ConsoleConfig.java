package org.synthloom.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where the console listens and how much it accepts. */
@ObjectClassDefinition(name = "Synthloom console",
        description = "The web console and its JSON API (/api/v1), served by an embedded Jetty 12.")
@interface ConsoleConfig {

    @AttributeDefinition(name = "Host", description = "Address to bind. 127.0.0.1 (the default) admits this machine only; "
            + "0.0.0.0 admits every network the machine is on.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port; 0 picks a free one (the real port is published as the "
            + "service property synthloom.console.port and in <data>/console/console.json).", min = "0", max = "65535")
    int port() default 8765;

    @AttributeDefinition(name = "Largest upload (MiB)", description = "Plugin jars larger than this are refused with 413.",
            min = "1")
    int upload_max_mebibytes() default 64;
}
