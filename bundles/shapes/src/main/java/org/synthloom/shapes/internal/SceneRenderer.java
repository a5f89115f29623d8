package org.synthloom.shapes.internal;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

import org.synthloom.api.data.ImagePixels;

/**
 * Draws a scene with Java2D (antialiased) into an RGB {@link ImagePixels}. The background
 * texture is a second tone of the background colour, about 20% apart, so it shows without
 * competing with the saturated objects. Stateless and thread safe.
 */
final class SceneRenderer {

    private SceneRenderer() {}

    /**
     * @param scene the scene
     * @param size the image side in pixels
     * @return a {@code size x size} RGB image
     */
    static ImagePixels render(Scene scene, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            paintBackground(g, scene.texture(), Vocabulary.BACKGROUNDS.get(scene.background()), size);
            for (SceneObject o : scene.objects()) {
                g.setColor(new Color(Vocabulary.COLOURS.get(o.colour())));
                g.fill(outline(o, size));
            }
        } finally {
            g.dispose();
        }
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new ImagePixels(size, size, 3, rgb);
    }

    private static void paintBackground(Graphics2D g, String texture, int rgb, int size) {
        Color base = new Color(rgb);
        Color tone = tone(base);
        g.setColor(base);
        g.fillRect(0, 0, size, size);
        double period = Math.max(4, size / 8.0);
        g.setColor(tone);
        switch (texture) {
            case "striped" -> {
                AffineTransform saved = g.getTransform();
                g.rotate(Math.PI / 4, size / 2.0, size / 2.0);
                for (double k = -size; k < 2 * size; k += period) {
                    g.fill(new Rectangle2D.Double(-size, k, 3.0 * size, period / 2));
                }
                g.setTransform(saved);
            }
            case "dotted" -> {
                double r = period / 5;
                for (double cy = period / 2; cy < size; cy += period) {
                    for (double cx = period / 2; cx < size; cx += period) {
                        g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
                    }
                }
            }
            case "checkered" -> {
                int cells = (int) Math.ceil(size / period);
                for (int i = 0; i < cells; i++) {
                    for (int j = (i & 1); j < cells; j += 2) {
                        g.fill(new Rectangle2D.Double(j * period, i * period, period, period));
                    }
                }
            }
            case "gradient" -> {
                g.setPaint(new GradientPaint(0, 0, base, 0, size, tone));
                g.fillRect(0, 0, size, size);
            }
            default -> { } // plain
        }
    }

    /** A second tone: darker for light colours, lighter for dark ones. */
    private static Color tone(Color c) {
        double luma = 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
        if (luma > 120) {
            return new Color((int) (c.getRed() * 0.8), (int) (c.getGreen() * 0.8), (int) (c.getBlue() * 0.8));
        }
        return new Color(c.getRed() + (255 - c.getRed()) / 4, c.getGreen() + (255 - c.getGreen()) / 4,
                c.getBlue() + (255 - c.getBlue()) / 4);
    }

    /** The object's outline in pixel coordinates, rotated about its centre. */
    static Shape outline(SceneObject o, int size) {
        double cx = o.x() * size;
        double cy = o.y() * size;
        double r = o.radius() * size;
        Shape shape = switch (o.shape()) {
            case "circle" -> new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            case "square" -> new Rectangle2D.Double(cx - 0.8 * r, cy - 0.8 * r, 1.6 * r, 1.6 * r);
            case "triangle" -> polygon(cx, cy + 0.2 * r, 1.2 * r, 1.2 * r, 3, 0);
            case "star" -> star(cx, cy, 1.25 * r, 0.5 * 1.25 * r);
            case "hexagon" -> polygon(cx, cy, 1.05 * r, 1.05 * r, 6, Math.PI / 6);
            case "diamond" -> polygon(cx, cy, 0.75 * r, 1.2 * r, 4, 0);
            default -> throw new IllegalArgumentException("unknown shape " + o.shape());
        };
        if (o.rotation() == 0) {
            return shape;
        }
        return AffineTransform.getRotateInstance(Math.toRadians(o.rotation()), cx, cy).createTransformedShape(shape);
    }

    /** A regular polygon (stretched to rx, ry) with a vertex pointing up, turned by {@code phase}. */
    private static Shape polygon(double cx, double cy, double rx, double ry, int n, double phase) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < n; i++) {
            double a = -Math.PI / 2 + phase + 2 * Math.PI * i / n;
            double px = cx + rx * Math.cos(a);
            double py = cy + ry * Math.sin(a);
            if (i == 0) {
                p.moveTo(px, py);
            } else {
                p.lineTo(px, py);
            }
        }
        p.closePath();
        return p;
    }

    private static Shape star(double cx, double cy, double outer, double inner) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double a = -Math.PI / 2 + Math.PI * i / 5;
            double r = (i & 1) == 0 ? outer : inner;
            if (i == 0) {
                p.moveTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
            } else {
                p.lineTo(cx + r * Math.cos(a), cy + r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }
}
