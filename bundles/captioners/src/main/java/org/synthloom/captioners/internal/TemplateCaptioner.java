package org.synthloom.captioners.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.synthloom.api.SynthloomPlugin;
import org.synthloom.api.data.Caption;
import org.synthloom.api.data.Provenance;
import org.synthloom.api.generate.CaptionGenerator;
import org.synthloom.api.generate.CaptionRequest;
import org.synthloom.api.generate.Concept;
import org.synthloom.api.generate.GeneratedCaption;

/**
 * Writes captions for concepts from templates: the concept in a template, the template's other
 * slots filled from the concept's attributes when it has them, otherwise drawn from the slot's
 * vocabulary. The draws follow the request's seed (and the concept's position in the request), so
 * the same request gives the same captions; a caption is not repeated for a concept until every
 * template combination has been used.
 */
@Component(service = CaptionGenerator.class, configurationPid = TemplateCaptioner.PID)
@SynthloomPlugin(kind = CaptionGenerator.KIND, name = "template")
@Designate(ocd = TemplateConfig.class)
public class TemplateCaptioner implements CaptionGenerator {

    static final String PID = "org.synthloom.captioners.template";
    private static final Pattern SLOT = Pattern.compile("\\{([a-z_]+)}");
    private static final int ATTEMPTS = 32;

    private final String version;
    private volatile Templates templates;

    @Activate
    public TemplateCaptioner(BundleContext context, TemplateConfig config) {
        this(context.getBundle().getVersion().toString(), config);
    }

    TemplateCaptioner(String version, TemplateConfig config) {
        this.version = version;
        this.templates = new Templates(config);
    }

    @Modified
    void modified(TemplateConfig config) {
        this.templates = new Templates(config);
    }

    @Override
    public List<GeneratedCaption> generate(CaptionRequest request) {
        Templates t = templates;
        List<GeneratedCaption> out = new ArrayList<>();
        for (int c = 0; c < request.concepts().size(); c++) {
            Concept concept = request.concepts().get(c);
            long seed = request.seed() * 0x9E3779B97F4A7C15L + c;
            SplittableRandom random = new SplittableRandom(seed);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < request.captionsPerConcept(); i++) {
                String text = t.draw(concept, random);
                for (int attempt = 0; t.deduplicate && seen.contains(text) && attempt < ATTEMPTS; attempt++) {
                    text = t.draw(concept, random);
                }
                seen.add(text);
                out.add(new GeneratedCaption(concept, new Caption(text, Provenance.synthetic("template", version, seed))));
            }
        }
        return out;
    }

    /** The parsed configuration. */
    static final class Templates {
        final List<String> templates;
        final Map<String, String[]> slots = new LinkedHashMap<>();
        final boolean deduplicate;

        Templates(TemplateConfig config) {
            for (String slot : config.slots()) {
                int eq = slot.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("slot '" + slot + "' is not name=value|value|...");
                }
                slots.put(slot.substring(0, eq).trim(), slot.substring(eq + 1).split("\\|"));
            }
            this.templates = List.of(config.templates());
            if (templates.isEmpty()) {
                throw new IllegalArgumentException("no templates configured");
            }
            for (String template : templates) {
                if (!template.contains("{concept}")) {
                    throw new IllegalArgumentException("template '" + template + "' does not name the {concept}");
                }
                Matcher m = SLOT.matcher(template);
                while (m.find()) {
                    if (!m.group(1).equals("concept") && !slots.containsKey(m.group(1))) {
                        throw new IllegalArgumentException("template '" + template + "' uses slot {" + m.group(1)
                                + "}, which has no vocabulary in 'slots'");
                    }
                }
            }
            this.deduplicate = config.deduplicate();
        }

        String draw(Concept concept, SplittableRandom random) {
            String template = templates.get(random.nextInt(templates.size()));
            Matcher m = SLOT.matcher(template);
            StringBuilder text = new StringBuilder();
            while (m.find()) {
                String slot = m.group(1);
                String value = slot.equals("concept") ? concept.name()
                        : concept.attributes().getOrDefault(slot, pick(slots.get(slot), random));
                m.appendReplacement(text, Matcher.quoteReplacement(value));
            }
            m.appendTail(text);
            return text.toString();
        }

        private static String pick(String[] values, SplittableRandom random) {
            return values[random.nextInt(values.length)].trim();
        }
    }
}
